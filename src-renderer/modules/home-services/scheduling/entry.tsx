import '@mantine/charts/styles.css';
import { IconCalendarEvent } from '@tabler/icons-react';
import type { FunctionEntry } from '../../registry';
import { SCHEDULING_PATH } from '../field/labels';
import { AppointmentDetailPage } from './pages/AppointmentDetailPage';
import { AppointmentsPage } from './pages/AppointmentsPage';
import { BookingPage } from './pages/BookingPage';
import { CalendarPage } from './pages/CalendarPage';
import { RemindersPage } from './pages/RemindersPage';
import { ReportPage } from './pages/ReportPage';
import { SetupPage } from './pages/SetupPage';

/** Service appointment scheduling: appointments, the booking form, the calendar, reminders, the report and the set-up. */
export const schedulingEntry: FunctionEntry = {
  module: 'homeServices',
  key: 'homeServices.scheduling',
  label: 'Appointments',
  path: SCHEDULING_PATH,
  icon: <IconCalendarEvent size={18} stroke={1.6} />,
  permission: 'homeServices.scheduling:view',
  routes: [
    { path: SCHEDULING_PATH, element: <AppointmentsPage /> },
    { path: `${SCHEDULING_PATH}/book`, element: <BookingPage /> },
    { path: `${SCHEDULING_PATH}/calendar`, element: <CalendarPage /> },
    { path: `${SCHEDULING_PATH}/reminders`, element: <RemindersPage /> },
    { path: `${SCHEDULING_PATH}/report`, element: <ReportPage /> },
    { path: `${SCHEDULING_PATH}/setup`, element: <SetupPage /> },
    // Static segments rank above the parameter, so /book never reads as an appointment id.
    { path: `${SCHEDULING_PATH}/:id`, element: <AppointmentDetailPage /> },
  ],
  quickActions: [
    { label: 'Book an appointment', path: `${SCHEDULING_PATH}/book`, shortcut: 'g t' },
    { label: 'Technicians’ calendar', path: `${SCHEDULING_PATH}/calendar` },
    { label: 'Reminder queue', path: `${SCHEDULING_PATH}/reminders` },
    { label: 'Bookings report', path: `${SCHEDULING_PATH}/report` },
  ],
};
