import { Group, NumberInput, Select, TextInput, Textarea } from '@mantine/core';
import { customersCreate, type Customer } from '../../../../../src-shared/contracts/home-services/master-data';
import { useZodForm } from '../../../../api/forms';
import { useRpcMutation } from '../../../../api/hooks';
import { useZones } from '../../field/options';
import { ActionDialog } from '../../field/ui';

interface Values extends Record<string, unknown> {
  name: string;
  phone: string;
  email: string;
  address: string;
  zoneId: string | null;
  lat: number | string;
  lng: number | string;
  notes: string;
}

const EMPTY: Values = { name: '', phone: '', email: '', address: '', zoneId: null, lat: '', lng: '', notes: '' };

/** Registers the customer on the phone without leaving the booking; the new customer is selected. */
export function NewCustomerDialog({ opened, onClose, onCreated }: { opened: boolean; onClose(): void; onCreated(customer: Customer): void }) {
  const { options: zones } = useZones();
  const form = useZodForm(customersCreate.input, EMPTY, (v) => ({
    name: v.name,
    address: v.address,
    ...(v.phone ? { phone: v.phone } : {}),
    ...(v.email ? { email: v.email } : {}),
    ...(v.zoneId ? { zoneId: v.zoneId } : {}),
    ...(v.lat !== '' ? { lat: Number(v.lat) } : {}),
    ...(v.lng !== '' ? { lng: Number(v.lng) } : {}),
    ...(v.notes ? { notes: v.notes } : {}),
  }));
  const create = useRpcMutation(customersCreate, { invalidate: ['homeServices.customers.'], notifyErrors: false });
  const close = () => {
    form.reset();
    create.reset();
    onClose();
  };
  return (
    <ActionDialog
      opened={opened}
      title="New customer"
      onClose={close}
      submitLabel="Register customer"
      busy={create.isPending}
      error={create.error}
      onSubmit={form.onSubmit((input) =>
        create.mutate(
          { input },
          {
            onSuccess: (customer) => {
              onCreated(customer);
              close();
            },
            onError: (error) => form.applyServerErrors(error),
          },
        ),
      )}
    >
      <TextInput label="Name" required data-autofocus {...form.text('name')} />
      <Group grow>
        <TextInput label="Phone" {...form.text('phone')} />
        <TextInput label="E-mail" {...form.text('email')} />
      </Group>
      <TextInput label="Address" required {...form.text('address')} />
      <Group grow>
        <Select label="Zone" data={zones} value={form.values.zoneId} onChange={(v) => form.setField('zoneId', v)} clearable error={form.errors.zoneId} />
        <NumberInput label="Latitude" decimalScale={6} value={form.values.lat} onChange={(v) => form.setField('lat', v)} error={form.errors.lat} />
        <NumberInput label="Longitude" decimalScale={6} value={form.values.lng} onChange={(v) => form.setField('lng', v)} error={form.errors.lng} />
      </Group>
      <Textarea label="Notes (gate code, pets…)" autosize minRows={2} {...form.text('notes')} />
    </ActionDialog>
  );
}
