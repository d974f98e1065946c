import type { z } from 'zod';
import type { ProcedureContract } from '../../../src-shared/rpc';
import type { Ctx } from './context';

/** What a gated action needs approved: a line the approver reads, and the record it concerns. */
export interface GateRequest {
  summary: string;
  entity?: string;
  entityId?: string;
  reason?: string;
}

export type Handler<C extends ProcedureContract> = (ctx: Ctx, input: z.output<C['input']>) => z.input<C['output']>;

export interface Registration<C extends ProcedureContract = ProcedureContract> {
  contract: C;
  handler: Handler<C>;
  /**
   * The approval gate. Runs inside the transaction before the handler; answering a request means
   * the action needs a checker (maker-checker), answering null lets it through.
   */
  gate?: (ctx: Ctx, input: z.output<C['input']>) => GateRequest | null;
}

export class Registry {
  private readonly procedures = new Map<string, Registration>();

  add<C extends ProcedureContract>(
    contract: C,
    handler: Handler<C>,
    options: { gate?: Registration<C>['gate'] } = {},
  ): this {
    if (this.procedures.has(contract.name)) throw new Error(`Procedure ${contract.name} registered twice`);
    if (!/^[a-z][A-Za-z]*(\.[a-z][A-Za-z]*){1,3}$/.test(contract.name)) {
      throw new Error(`Procedure name ${contract.name} does not follow <module>.<function>.<verb>`);
    }
    if (contract.kind === 'query' && options.gate) throw new Error(`${contract.name}: queries cannot be gated`);
    this.procedures.set(contract.name, { contract, handler, gate: options.gate } as unknown as Registration);
    return this;
  }

  get(name: string): Registration | undefined {
    return this.procedures.get(name);
  }

  all(): Registration[] {
    return [...this.procedures.values()].sort((a, b) => a.contract.name.localeCompare(b.contract.name));
  }
}
