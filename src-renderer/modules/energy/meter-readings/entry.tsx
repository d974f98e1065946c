// Placeholder until the meter readings screens land; that engineer replaces this file.
export const meterReadingsEntry: import('../../registry').FunctionEntry = { module: 'energy', key: 'energy.meterReadings', label: 'Meter readings', path: '/energy/meter-readings', icon: null, permission: 'energy.meterReadings:view', routes: [] };
