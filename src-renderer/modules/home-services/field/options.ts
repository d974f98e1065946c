import { useMemo } from 'react';
import { servicesList, techniciansList, zonesList } from '../../../../src-shared/contracts/home-services/master-data';
import { useRpcQuery } from '../../../api/hooks';

export interface Option {
  value: string;
  label: string;
}

/** Technicians as select options, "Tom Nkosi (T01)". */
export function useTechnicians() {
  const query = useRpcQuery(techniciansList, {});
  const options = useMemo<Option[]>(() => (query.data ?? []).map((t) => ({ value: t.id, label: `${t.name} (${t.code})` })), [query.data]);
  const byId = useMemo(() => new Map((query.data ?? []).map((t) => [t.id, t])), [query.data]);
  return { query, options, byId };
}

/** Services as select options, "PLB-LEAK · Leak repair (60 min)". */
export function useServices() {
  const query = useRpcQuery(servicesList, {});
  const options = useMemo<Option[]>(
    () => (query.data ?? []).map((s) => ({ value: s.id, label: `${s.sku} · ${s.name} (${s.durationMinutes} min)` })),
    [query.data],
  );
  const byId = useMemo(() => new Map((query.data ?? []).map((s) => [s.id, s])), [query.data]);
  return { query, options, byId };
}

export function useZones() {
  const query = useRpcQuery(zonesList, {});
  const options = useMemo<Option[]>(() => (query.data ?? []).map((z) => ({ value: z.id, label: `${z.code} · ${z.name}` })), [query.data]);
  return { query, options };
}
