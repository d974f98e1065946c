/**
 * The branch's local calendar date of a UTC instant, for day/week/month buckets. Formatting with
 * Intl is the costly part of ingesting a batch, and events come in bursts, so answers are cached
 * per UTC minute (no time zone changes date mid-minute). Only `…Z` instants are cached: the
 * minute prefix of an instant with another offset is not a UTC minute.
 */
export function localDateIn(timeZone: string): (instant: string) => string {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const cache = new Map<string, string>();
  return (instant: string) => {
    const parsed = new Date(instant);
    // HQ stores what the branch journaled even when it is not a valid instant; it still needs a date.
    if (Number.isNaN(parsed.getTime())) return instant.slice(0, 10);
    if (!instant.endsWith('Z')) return format.format(parsed);
    const minute = instant.slice(0, 16);
    let date = cache.get(minute);
    if (date === undefined) {
      date = format.format(parsed);
      if (cache.size > 10_000) cache.clear();
      cache.set(minute, date);
    }
    return date;
  };
}
