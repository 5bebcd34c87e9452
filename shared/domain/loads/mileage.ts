/**
 * Offline mileage: the great-circle distance between the two ZIP centroids times a road factor.
 * Trucks rarely drive a straight line; 1.2 is the usual circuity of the U.S. highway network for
 * freight lanes, close enough to quote a rate per mile before a routed mileage exists.
 */
export const ROAD_FACTOR = 1.2;
const EARTH_RADIUS_MILES = 3958.8;

export interface Point {
  lat: number;
  lon: number;
}

export function greatCircleMiles(a: Point, b: Point): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Estimated road miles, whole miles; a local move is at least 1 mile. */
export function estimatedRoadMiles(a: Point, b: Point): number {
  return Math.max(1, Math.round(greatCircleMiles(a, b) * ROAD_FACTOR));
}

/** Rate per mile in cents, rounded half-up; null without miles. */
export function centsPerMile(cents: number | null, miles: number | null): number | null {
  if (cents === null || miles === null || miles <= 0) return null;
  return Math.floor((cents * 2 + miles) / (2 * miles));
}
