/** The service's time. In sandbox mode it can be moved forward; it never moves backwards. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}
