/** How many recent delivery ids a stream remembers to record a redelivered webhook once. */
export const RECENT_DELIVERIES = 32;

export interface PgNotificationState {
  /** The last RECENT_DELIVERIES delivery ids recorded, oldest first: bounded, however many arrive. */
  recentDeliveries: string[];
  received: number;
  processed: number;
}
