/** The items parked now, by id. */
export type ParkedWorkState = { parked: Readonly<Record<string, true>> };
