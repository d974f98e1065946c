import { Button, Checkbox, Group, NumberInput, Stack, Text } from '@mantine/core';
import { IconCurrentLocation } from '@tabler/icons-react';
import { useState } from 'react';

export interface LocationValue {
  lat: number | string;
  lng: number | string;
  accuracyM: number | string;
  /** The device has no fix: the checkpoint is recorded without one (and is an exception until corrected). */
  none: boolean;
}

export const EMPTY_LOCATION: LocationValue = { lat: '', lng: '', accuracyM: '', none: false };

/** The contract's location, or null when there is no fix or a field is blank. */
export function locationInput(value: LocationValue): { lat: number; lng: number; accuracyM: number } | null {
  if (value.none || value.lat === '' || value.lng === '' || value.accuracyM === '') return null;
  return { lat: Number(value.lat), lng: Number(value.lng), accuracyM: Number(value.accuracyM) };
}

/** Latitude, longitude and accuracy: from the device's GPS with one button, or typed from another device. */
export function LocationFields({ value, onChange, label }: { value: LocationValue; onChange(value: LocationValue): void; label: string }) {
  const [locating, setLocating] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const locate = () => {
    if (!('geolocation' in navigator)) {
      setProblem('This device has no location service; type the coordinates or tick “No GPS fix”.');
      return;
    }
    setLocating(true);
    setProblem(null);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating(false);
        onChange({
          lat: Number(position.coords.latitude.toFixed(6)),
          lng: Number(position.coords.longitude.toFixed(6)),
          accuracyM: Math.round(position.coords.accuracy),
          none: false,
        });
      },
      (error) => {
        setLocating(false);
        setProblem(`No fix: ${error.message}. Try again outside, type the coordinates, or tick “No GPS fix”.`);
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  };
  return (
    <Stack gap={4}>
      <Group justify="space-between">
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Button size="compact-sm" variant="light" leftSection={<IconCurrentLocation size={14} />} loading={locating} onClick={locate} disabled={value.none}>
          Use my location
        </Button>
      </Group>
      <Group grow>
        <NumberInput label="Latitude" decimalScale={6} value={value.lat} onChange={(lat) => onChange({ ...value, lat })} disabled={value.none} />
        <NumberInput label="Longitude" decimalScale={6} value={value.lng} onChange={(lng) => onChange({ ...value, lng })} disabled={value.none} />
        <NumberInput label="Accuracy (m)" min={0} value={value.accuracyM} onChange={(accuracyM) => onChange({ ...value, accuracyM })} disabled={value.none} />
      </Group>
      <Checkbox size="xs" label="No GPS fix (recorded as an exception for a supervisor)" checked={value.none} onChange={(e) => onChange({ ...value, none: e.currentTarget.checked })} />
      {problem ? (
        <Text size="xs" c="orange">
          {problem}
        </Text>
      ) : null}
    </Stack>
  );
}
