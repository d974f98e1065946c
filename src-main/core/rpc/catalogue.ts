import { z } from 'zod';
import type { Registry } from './registry';

export interface CatalogueEntry {
  name: string;
  description: string;
  kind: 'query' | 'mutation';
  permission: string;
  idempotent: boolean;
  gated: boolean;
  input: unknown;
  output: unknown;
}

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): unknown => {
  try {
    return z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  } catch {
    return { description: 'not representable as JSON Schema' };
  }
};

/** The public catalogue (GET /rpc, docs/api.md): every callable procedure with its schemas. */
export function catalogue(registry: Registry): CatalogueEntry[] {
  return registry
    .all()
    .filter((r) => !r.contract.internal)
    .map(({ contract, gate }) => ({
      name: contract.name,
      description: contract.description,
      kind: contract.kind,
      permission:
        contract.access.kind === 'permission'
          ? `${contract.access.fn}:${contract.access.verb}`
          : contract.access.kind === 'public'
            ? 'public'
            : 'signed in',
      idempotent: contract.idempotent ?? false,
      gated: gate !== undefined,
      input: jsonSchema(contract.input, 'input'),
      output: jsonSchema(contract.output, 'output'),
    }));
}
