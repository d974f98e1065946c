import { ActionIcon, Button, Checkbox, ColorSwatch, Group, MultiSelect, NumberInput, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { WEEKDAY_LABELS } from '../../../../../src-shared/contracts/home-services/common';
import {
  TECHNICIAN_COLORS,
  servicesCreate,
  servicesUpdate,
  techniciansCreate,
  techniciansUpdate,
  timeOffAdd,
  zonesCreate,
  zonesUpdate,
  type Service,
  type Technician,
  type Zone,
} from '../../../../../src-shared/contracts/home-services/master-data';
import { usersList } from '../../../../../src-shared/contracts/kernel';
import { useRpcMutation, useRpcQuery, useSession } from '../../../../api/hooks';
import { useZones } from '../../field/options';
import { instantAt, useBranchZone, useToday } from '../../field/time';
import { ActionDialog } from '../../field/ui';

/* The set-up dialogs: zones, technicians (skills, zones, a week of hours), services, time off. */

type SkillRow = { skill: string; level: number | string };

function SkillRows({ rows, setRows, levelLabel }: { rows: SkillRow[]; setRows(rows: SkillRow[]): void; levelLabel: string }) {
  return (
    <Stack gap={4}>
      {rows.map((row, i) => (
        <Group key={i} gap="xs" align="flex-end">
          <TextInput
            label={i === 0 ? 'Skill' : undefined}
            aria-label={`Skill ${i + 1}`}
            placeholder="plumbing"
            value={row.skill}
            onChange={(e) => setRows(rows.map((r, j) => (j === i ? { ...r, skill: e.currentTarget.value } : r)))}
            w={200}
          />
          <NumberInput
            label={i === 0 ? levelLabel : undefined}
            aria-label={`${levelLabel} ${i + 1}`}
            min={1}
            max={5}
            value={row.level}
            onChange={(v) => setRows(rows.map((r, j) => (j === i ? { ...r, level: v } : r)))}
            w={110}
          />
          <ActionIcon variant="subtle" color="red" aria-label={`Remove skill ${i + 1}`} onClick={() => setRows(rows.filter((_, j) => j !== i))} mb={4}>
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      ))}
      <Button variant="subtle" size="xs" leftSection={<IconPlus size={14} />} onClick={() => setRows([...rows, { skill: '', level: 1 }])} w="fit-content">
        Add skill
      </Button>
    </Stack>
  );
}

interface DayHours {
  on: boolean;
  start: string;
  end: string;
  breakStart: string;
  breakEnd: string;
}

function hoursFrom(tech?: Technician): DayHours[] {
  return WEEKDAY_LABELS.map((_, weekday) => {
    const shift = tech?.hours.find((h) => h.weekday === weekday);
    const pause = tech?.breaks.find((b) => b.weekday === weekday);
    const weekdayDefault = tech === undefined && weekday >= 1 && weekday <= 5;
    return {
      on: Boolean(shift) || weekdayDefault,
      start: shift?.start ?? '08:00',
      end: shift?.end ?? '17:00',
      breakStart: pause?.start ?? (weekdayDefault ? '12:30' : ''),
      breakEnd: pause?.end ?? (weekdayDefault ? '13:00' : ''),
    };
  });
}

/** A technician's details, skills with levels, zones and the week (one shift and one break a day on this screen). */
export function TechnicianDialog({ technician, opened, onClose }: { technician?: Technician; opened: boolean; onClose(): void }) {
  const { can } = useSession();
  const { options: zones } = useZones();
  const users = useRpcQuery(usersList, {}, { enabled: can('admin.users', 'view') });
  const [code, setCode] = useState(technician?.code ?? '');
  const [name, setName] = useState(technician?.name ?? '');
  const [phone, setPhone] = useState(technician?.phone ?? '');
  const [userId, setUserId] = useState<string | null>(technician?.userId ?? null);
  const [color, setColor] = useState<string>(technician?.color ?? 'blue');
  const [homeLat, setHomeLat] = useState<number | string>(technician?.homeLat ?? '');
  const [homeLng, setHomeLng] = useState<number | string>(technician?.homeLng ?? '');
  const [skills, setSkills] = useState<SkillRow[]>(technician?.skills ?? [{ skill: '', level: 1 }]);
  const [zoneIds, setZoneIds] = useState<string[]>(technician?.zones.map((z) => z.id) ?? []);
  const [week, setWeek] = useState<DayHours[]>(hoursFrom(technician));
  const [active, setActive] = useState(technician?.active ?? true);
  const create = useRpcMutation(techniciansCreate, { invalidate: ['homeServices.'], notifyErrors: false });
  const update = useRpcMutation(techniciansUpdate, { invalidate: ['homeServices.'], notifyErrors: false });
  const saving = technician ? update : create;
  const body = {
    name,
    ...(phone ? { phone } : {}),
    ...(userId ? { userId } : {}),
    color: color as (typeof TECHNICIAN_COLORS)[number],
    ...(homeLat !== '' && homeLng !== '' ? { homeLat: Number(homeLat), homeLng: Number(homeLng) } : {}),
    skills: skills.filter((s) => s.skill.trim()).map((s) => ({ skill: s.skill.trim(), level: Number(s.level) || 1 })),
    zoneIds,
    hours: week.flatMap((d, weekday) => (d.on ? [{ weekday, start: d.start, end: d.end }] : [])),
    breaks: week.flatMap((d, weekday) => (d.on && d.breakStart && d.breakEnd ? [{ weekday, start: d.breakStart, end: d.breakEnd }] : [])),
  };
  const setDay = (i: number, patch: Partial<DayHours>) => setWeek(week.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  return (
    <ActionDialog
      opened={opened}
      size="xl"
      title={technician ? `Edit ${technician.name}` : 'New technician'}
      onClose={onClose}
      submitLabel={technician ? 'Save' : 'Add technician'}
      busy={saving.isPending}
      error={saving.error}
      onSubmit={() =>
        technician
          ? update.mutate({ input: { id: technician.id, version: technician.version, active, ...body } }, { onSuccess: onClose })
          : create.mutate({ input: { code, ...body } }, { onSuccess: onClose })
      }
    >
      <Group grow>
        <TextInput label="Code" value={code} onChange={(e) => setCode(e.currentTarget.value)} disabled={Boolean(technician)} required />
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} required data-autofocus />
        <TextInput label="Phone" value={phone} onChange={(e) => setPhone(e.currentTarget.value)} />
      </Group>
      <Group grow align="flex-end">
        <Select
          label="Signs in as"
          placeholder={can('admin.users', 'view') ? 'No user account' : 'Ask an administrator'}
          data={(users.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))}
          value={userId}
          onChange={setUserId}
          clearable
          disabled={!can('admin.users', 'view')}
        />
        <Select
          label="Colour on the board"
          data={TECHNICIAN_COLORS.map((c) => ({ value: c, label: c }))}
          value={color}
          onChange={(v) => v && setColor(v)}
          leftSection={<ColorSwatch color={`var(--mantine-color-${color}-filled)`} size={14} />}
          allowDeselect={false}
        />
        <NumberInput label="Home base latitude" decimalScale={6} value={homeLat} onChange={setHomeLat} />
        <NumberInput label="Home base longitude" decimalScale={6} value={homeLng} onChange={setHomeLng} />
      </Group>
      <MultiSelect label="Zones covered" data={zones} value={zoneIds} onChange={setZoneIds} searchable />
      <SkillRows rows={skills} setRows={setSkills} levelLabel="Level (1–5)" />
      <Table withTableBorder aria-label="Working hours">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Day</Table.Th>
            <Table.Th>Works</Table.Th>
            <Table.Th>From</Table.Th>
            <Table.Th>To</Table.Th>
            <Table.Th>Break from</Table.Th>
            <Table.Th>Break to</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {week.map((d, i) => (
            <Table.Tr key={i}>
              <Table.Td>{WEEKDAY_LABELS[i]}</Table.Td>
              <Table.Td>
                <Checkbox aria-label={`Works on ${WEEKDAY_LABELS[i]}`} checked={d.on} onChange={(e) => setDay(i, { on: e.currentTarget.checked })} />
              </Table.Td>
              {(['start', 'end', 'breakStart', 'breakEnd'] as const).map((field) => (
                <Table.Td key={field}>
                  <TextInput type="time" size="xs" aria-label={`${WEEKDAY_LABELS[i]} ${field}`} value={d[field]} disabled={!d.on} onChange={(e) => setDay(i, { [field]: e.currentTarget.value })} />
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {technician ? <Checkbox label="Active (inactive technicians get no work; their open jobs return to the tray)" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} /> : null}
    </ActionDialog>
  );
}

/** A catalogue line: SKU, category, duration and clean-up, price, required skills, shared-equipment limit. */
export function ServiceDialog({ service, opened, onClose }: { service?: Service; opened: boolean; onClose(): void }) {
  const [sku, setSku] = useState(service?.sku ?? '');
  const [name, setName] = useState(service?.name ?? '');
  const [category, setCategory] = useState(service?.category ?? '');
  const [duration, setDuration] = useState<number | string>(service?.durationMinutes ?? 60);
  const [buffer, setBuffer] = useState<number | string>(service?.bufferMinutes ?? 0);
  const [price, setPrice] = useState<number | string>(service ? service.priceMinor / 100 : '');
  const [skills, setSkills] = useState<SkillRow[]>(service?.requiredSkills.map((s) => ({ skill: s.skill, level: s.minLevel })) ?? [{ skill: '', level: 1 }]);
  const [capacity, setCapacity] = useState<number | string>(service?.slotCapacity ?? '');
  const [active, setActive] = useState(service?.active ?? true);
  const create = useRpcMutation(servicesCreate, { invalidate: ['homeServices.'], notifyErrors: false });
  const update = useRpcMutation(servicesUpdate, { invalidate: ['homeServices.'], notifyErrors: false });
  const saving = service ? update : create;
  const body = {
    name,
    category,
    durationMinutes: Number(duration),
    bufferMinutes: Number(buffer) || 0,
    // Entered in currency units, stored in minor units: rounded once, here.
    priceMinor: Math.round(Number(price) * 100),
    requiredSkills: skills.filter((s) => s.skill.trim()).map((s) => ({ skill: s.skill.trim(), minLevel: Number(s.level) || 1 })),
    slotCapacity: capacity === '' ? null : Number(capacity),
  };
  return (
    <ActionDialog
      opened={opened}
      title={service ? `Edit ${service.sku}` : 'New service'}
      onClose={onClose}
      submitLabel={service ? 'Save' : 'Add service'}
      busy={saving.isPending}
      error={saving.error}
      onSubmit={() =>
        service
          ? update.mutate({ input: { id: service.id, version: service.version, active, ...body } }, { onSuccess: onClose })
          : create.mutate({ input: { sku, ...body } }, { onSuccess: onClose })
      }
    >
      <Group grow>
        <TextInput label="SKU" value={sku} onChange={(e) => setSku(e.currentTarget.value)} disabled={Boolean(service)} required />
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} required data-autofocus />
        <TextInput label="Category" value={category} onChange={(e) => setCategory(e.currentTarget.value)} required />
      </Group>
      <Group grow>
        <NumberInput label="Duration (min)" min={15} step={5} value={duration} onChange={setDuration} required />
        <NumberInput label="Clean-up after (min)" min={0} step={5} value={buffer} onChange={setBuffer} />
        <NumberInput label="Price" min={0} decimalScale={2} fixedDecimalScale value={price} onChange={setPrice} required />
        <NumberInput label="At most at once (shared equipment)" min={1} value={capacity} onChange={setCapacity} placeholder="No limit" />
      </Group>
      <Text size="sm" fw={500}>
        Required skills
      </Text>
      <SkillRows rows={skills} setRows={setSkills} levelLabel="Minimum level" />
      {service ? <Checkbox label="Offered (bookable)" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} /> : null}
    </ActionDialog>
  );
}

/**
 * A new zone, or an existing one renamed (a mistyped name): the code stays, since technicians'
 * zones, customers and reports know the zone by it.
 */
export function ZoneDialog({ zone, opened, onClose }: { zone?: Zone; opened: boolean; onClose(): void }) {
  const [code, setCode] = useState(zone?.code ?? '');
  const [name, setName] = useState(zone?.name ?? '');
  const create = useRpcMutation(zonesCreate, { invalidate: ['homeServices.'], notifyErrors: false });
  const rename = useRpcMutation(zonesUpdate, { invalidate: ['homeServices.'], notifyErrors: false });
  const saving = zone ? rename : create;
  return (
    <ActionDialog
      opened={opened}
      title={zone ? `Rename zone ${zone.code}` : 'New zone'}
      onClose={onClose}
      submitLabel={zone ? 'Rename zone' : 'Add zone'}
      busy={saving.isPending}
      error={saving.error}
      size="md"
      onSubmit={() =>
        zone
          ? rename.mutate(
              { input: { id: zone.id, version: zone.version, name } },
              {
                onSuccess: (saved) => {
                  notifications.show({ color: 'green', message: `Zone ${saved.code} is now ${saved.name}.` });
                  onClose();
                },
              },
            )
          : create.mutate({ input: { code, name } }, { onSuccess: onClose })
      }
    >
      <TextInput
        label="Code"
        value={code}
        onChange={(e) => setCode(e.currentTarget.value)}
        disabled={Boolean(zone)}
        description={zone ? 'Stays as it is: technicians, customers and reports know the zone by it.' : undefined}
        required={!zone}
        data-autofocus={zone ? undefined : true}
      />
      <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} required data-autofocus={zone ? true : undefined} />
    </ActionDialog>
  );
}

/** Leave, training, a sick day: assigned work inside it goes back to the dispatcher's tray. */
export function TimeOffDialog({ technician, opened, onClose }: { technician: { id: string; name: string }; opened: boolean; onClose(): void }) {
  const timeZone = useBranchZone();
  const today = useToday();
  const [fromDate, setFromDate] = useState(today);
  const [fromTime, setFromTime] = useState('00:00');
  const [toDate, setToDate] = useState(today);
  const [toTime, setToTime] = useState('23:59');
  const [reason, setReason] = useState('');
  const add = useRpcMutation(timeOffAdd, { invalidate: ['homeServices.'], notifyErrors: false });
  return (
    <ActionDialog
      opened={opened}
      title={`Time off: ${technician.name}`}
      onClose={onClose}
      submitLabel="Book time off"
      busy={add.isPending}
      error={add.error}
      size="md"
      onSubmit={() =>
        add.mutate(
          { input: { technicianId: technician.id, startsAt: instantAt(fromDate, fromTime, timeZone), endsAt: instantAt(toDate, toTime, timeZone), reason } },
          { onSuccess: onClose },
        )
      }
    >
      <Group grow>
        <TextInput type="date" label="From" value={fromDate} onChange={(e) => setFromDate(e.currentTarget.value)} />
        <TextInput type="time" label="at" value={fromTime} onChange={(e) => setFromTime(e.currentTarget.value)} />
      </Group>
      <Group grow>
        <TextInput type="date" label="Until" value={toDate} onChange={(e) => setToDate(e.currentTarget.value)} />
        <TextInput type="time" label="at" value={toTime} onChange={(e) => setToTime(e.currentTarget.value)} />
      </Group>
      <TextInput label="Reason" placeholder="Sick, leave, training" value={reason} onChange={(e) => setReason(e.currentTarget.value)} required data-autofocus />
    </ActionDialog>
  );
}
