import { describe, expect, it } from 'vitest';
import { filtersFromParams, paramsFromFilters, readingsListPath } from './filters';

describe('readings list filters in the URL', () => {
  it('reads every filter the contract knows from the search params', () => {
    const params = new URLSearchParams(
      'routeId=R1&status=exception&exception=HIGH_CONSUMPTION&readType=estimated&readerId=U1&from=2026-01-01&to=2026-01-31&search=smit&category=business',
    );
    expect(filtersFromParams(params)).toEqual({
      routeId: 'R1',
      status: 'exception',
      exception: 'HIGH_CONSUMPTION',
      readType: 'estimated',
      readerId: 'U1',
      from: '2026-01-01',
      to: '2026-01-31',
      search: 'smit',
      category: 'business',
    });
  });

  it('drops a param the contract would refuse instead of failing the whole list', () => {
    const params = new URLSearchParams('status=lost&from=2026-13-45&exception=NOPE&routeId=R1&utm=x');
    expect(filtersFromParams(params)).toEqual({ routeId: 'R1' });
  });

  it('ignores empty params and trims the search like the server does', () => {
    expect(filtersFromParams(new URLSearchParams('routeId=&search=%20%20'))).toEqual({});
    expect(filtersFromParams(new URLSearchParams('search=%20smit%20'))).toEqual({ search: 'smit' });
  });

  it('writes only the filters that are set, so a drilldown link stays short', () => {
    expect(paramsFromFilters({ routeId: 'R1', status: undefined, from: '2026-02-01' }).toString()).toBe('routeId=R1&from=2026-02-01');
  });

  it('round-trips: a link made from filters opens exactly those filters', () => {
    const filters = { routeId: 'R2', status: 'reread', to: '2026-03-31' } as const;
    const link = readingsListPath(filters);
    expect(link).toBe('/energy/meter-readings?routeId=R2&status=reread&to=2026-03-31');
    expect(filtersFromParams(new URLSearchParams(link.split('?')[1]))).toEqual(filters);
  });

  it('links to the bare screen when nothing is filtered', () => {
    expect(readingsListPath({}, '/energy/meter-readings/review')).toBe('/energy/meter-readings/review');
  });
});
