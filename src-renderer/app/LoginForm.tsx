import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useRef, useState, type FormEvent } from 'react';
import { authLogin } from '../../src-shared/contracts/kernel';
import type { OutputOf } from '../../src-shared/rpc';
import { RpcError, call } from '../api/client';
import { asRpcError } from '../api/errors';
import { useZodForm } from '../api/forms';
import { formatDate } from '../components/DateText';

export type SignInResult = OutputOf<typeof authLogin>;

export interface LoginFormProps {
  onSignedIn(result: SignInResult): void;
  initialUsername?: string;
  timeZone?: string;
  submitLabel?: string;
}

/** Lockouts carry `lockedUntil`; say it as a time of day in the branch's zone, not as an ISO string. */
function describe(error: RpcError, timeZone: string | undefined): string {
  const lockedUntil = error.details?.lockedUntil;
  if (typeof lockedUntil === 'string') {
    return `This account is locked after too many failed sign-ins until ${formatDate(lockedUntil, 'datetime', timeZone)}. Wait until then, or ask an administrator to unlock it.`;
  }
  if (error.unreachable) return 'The Plug1 service is not answering. Check that it is running, then try again.';
  return error.message;
}

export function LoginForm({ onSignedIn, initialUsername = '', timeZone, submitLabel = 'Sign in' }: LoginFormProps) {
  const form = useZodForm(authLogin.input, { username: initialUsername, password: '' });
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<RpcError | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = form.validate();
    if (!input) return;
    setPending(true);
    setProblem(null);
    try {
      onSignedIn(await call(authLogin, input));
    } catch (err) {
      const error = asRpcError(err);
      if (!form.applyServerErrors(error)) setProblem(error);
      // Keep what was typed; select the password so retyping it replaces it.
      passwordRef.current?.select();
    } finally {
      setPending(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack gap="sm">
        <TextInput
          label="Username"
          autoComplete="username"
          autoFocus={initialUsername === ''}
          spellCheck={false}
          autoCapitalize="none"
          {...form.text('username')}
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          autoFocus={initialUsername !== ''}
          // Inside the "session ended" dialog Mantine's focus trap honours this, not autoFocus.
          data-autofocus={initialUsername !== '' || undefined}
          ref={passwordRef}
          {...form.text('password')}
        />
        {problem ? (
          <Alert color="red" icon={<IconLock size={16} />} p="xs" role="alert">
            {describe(problem, timeZone)}
          </Alert>
        ) : null}
        <Button type="submit" loading={pending} fullWidth mt={4}>
          {submitLabel}
        </Button>
      </Stack>
    </form>
  );
}
