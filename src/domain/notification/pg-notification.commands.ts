import type { PgNotificationReceived } from './pg-notification.events';

export type ReceiveNotification = { type: 'ReceiveNotification' } & Omit<
  PgNotificationReceived['data'],
  'receivedAt'
>;
export type MarkNotificationsProcessed = { type: 'MarkNotificationsProcessed'; upTo: number };
export type PgNotificationCommand = ReceiveNotification | MarkNotificationsProcessed;
