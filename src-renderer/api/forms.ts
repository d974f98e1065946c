import { useCallback, useState, type ChangeEvent, type FormEvent } from 'react';
import type { z } from 'zod';
import { RpcError } from './client';

/** `['lines', 2, 'amount']` → `lines.2.amount`, the shape the pipeline uses in `details.issues`. */
const dotted = (path: readonly PropertyKey[]): string => path.map(String).join('.');

/**
 * A VALIDATION answer's field issues by dotted path; the first message per field wins. A CONFLICT
 * that names a field ("username already taken") lands beside that field too.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof RpcError) || (error.code !== 'VALIDATION' && error.code !== 'CONFLICT')) return {};
  const errors: Record<string, string> = {};
  for (const issue of error.details?.issues ?? []) {
    if (issue.path !== '' && errors[issue.path] === undefined) errors[issue.path] = issue.message;
  }
  return errors;
}

/**
 * Plain words for zod's generic messages ("Too small: expected string to have >=2 characters").
 * Messages a contract wrote itself win: zod only asks this map when the schema gave none.
 */
const friendly: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'Required' : `Use at least ${issue.minimum} characters`;
      if (issue.origin === 'array') return Number(issue.minimum) <= 1 ? 'Choose at least one' : `Choose at least ${issue.minimum}`;
      return `Must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `Use at most ${issue.maximum} characters`;
      return `Must be at most ${issue.maximum}`;
    case 'invalid_type':
      if (issue.input === undefined || issue.input === '' || issue.input === null) return 'Required';
      if (issue.expected === 'number' || issue.expected === 'int') return 'Enter a number';
      return undefined;
    case 'invalid_format':
      if (issue.format === 'date') return 'Enter a date as YYYY-MM-DD';
      return undefined;
    default:
      return undefined;
  }
};

function zodErrors(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const key = dotted(issue.path);
    if (errors[key] === undefined) errors[key] = issue.message;
  }
  return errors;
}

export interface ZodForm<V extends Record<string, unknown>, Out> {
  values: V;
  errors: Record<string, string>;
  setField<K extends keyof V & string>(key: K, value: V[K]): void;
  setValues(values: V): void;
  /** Parses with the shared contract; shows the problems and answers null when it does not pass. */
  validate(): Out | null;
  /** Puts a VALIDATION answer's messages beside their fields; true when at least one landed. */
  applyServerErrors(error: unknown): boolean;
  /** A `<form onSubmit>` handler: Enter anywhere in the form submits, invalid input stays as typed. */
  onSubmit(handler: (parsed: Out) => void): (event?: FormEvent) => void;
  /** value / onChange / error for text-like Mantine inputs. */
  text<K extends keyof V & string>(key: K): { value: string; onChange(e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>): void; error?: string };
  reset(values?: V): void;
}

/**
 * Mantine form state validated by the very zod schema the pipeline enforces. `prepare` turns form
 * values into the procedure's input (drop empty optionals, add ids) before parsing.
 */
export function useZodForm<S extends z.ZodType, V extends Record<string, unknown>>(
  schema: S,
  initial: V,
  prepare: (values: V) => unknown = (values) => values,
): ZodForm<V, z.output<S>> {
  const [values, setValuesState] = useState<V>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const clearError = (key: string) =>
    setErrors((current) => {
      if (current[key] === undefined) return current;
      const { [key]: _cleared, ...rest } = current;
      return rest;
    });

  const setField = useCallback(<K extends keyof V & string>(key: K, value: V[K]) => {
    setValuesState((current) => ({ ...current, [key]: value }));
    clearError(key);
  }, []);

  const validate = (): z.output<S> | null => {
    const parsed = schema.safeParse(prepare(values), { error: friendly });
    if (parsed.success) {
      setErrors({});
      return parsed.data;
    }
    setErrors(zodErrors(parsed.error.issues));
    return null;
  };

  const applyServerErrors = (error: unknown): boolean => {
    const fromServer = fieldErrors(error);
    setErrors(fromServer);
    return Object.keys(fromServer).length > 0;
  };

  const onSubmit = (handler: (parsed: z.output<S>) => void) => (event?: FormEvent) => {
    event?.preventDefault();
    const parsed = validate();
    if (parsed !== null) handler(parsed);
  };

  const text = <K extends keyof V & string>(key: K) => {
    const error = errors[key];
    return {
      value: String(values[key] ?? ''),
      onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setField(key, e.currentTarget.value as V[K]),
      ...(error === undefined ? {} : { error }),
    };
  };

  const reset = (next?: V) => {
    setValuesState(next ?? initial);
    setErrors({});
  };

  return { values, errors, setField, setValues: setValuesState, validate, applyServerErrors, onSubmit, text, reset };
}
