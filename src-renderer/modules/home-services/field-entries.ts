/** The three field functions' entries (scheduling, dispatch, visits), registered together. */
export { schedulingEntry } from './scheduling/entry';
export { dispatchEntry } from './dispatch/entry';
export { visitsEntry } from './visits/entry';
