export type ParkWork = {
  type: 'ParkWork';
  process: string;
  itemId: string;
  reason: string;
  attempts: number;
};
export type RetryParkedWork = { type: 'RetryParkedWork'; process: string; itemId: string };
export type ParkedWorkCommand = ParkWork | RetryParkedWork;
