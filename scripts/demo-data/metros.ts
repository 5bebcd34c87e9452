import type { UsState } from '../../shared/domain/validation/us-states.ts';

/** Freight metros (city as GeoNames spells it) and how much freight moves through each. */
export const METROS: readonly (readonly [city: string, state: UsState, weight: number])[] = [
  ['Dallas', 'TX', 9], ['Houston', 'TX', 9], ['San Antonio', 'TX', 4], ['Austin', 'TX', 3], ['El Paso', 'TX', 3], ['Fort Worth', 'TX', 5],
  ['Laredo', 'TX', 5], ['Oklahoma City', 'OK', 3], ['Tulsa', 'OK', 2], ['Atlanta', 'GA', 8], ['Savannah', 'GA', 4], ['Chicago', 'IL', 10],
  ['Joliet', 'IL', 4], ['Indianapolis', 'IN', 5], ['Columbus', 'OH', 5], ['Cincinnati', 'OH', 4], ['Cleveland', 'OH', 3], ['Detroit', 'MI', 4],
  ['Grand Rapids', 'MI', 2], ['Milwaukee', 'WI', 3], ['Minneapolis', 'MN', 4], ['Kansas City', 'MO', 5], ['Saint Louis', 'MO', 4],
  ['Memphis', 'TN', 6], ['Nashville', 'TN', 5], ['Knoxville', 'TN', 2], ['Louisville', 'KY', 4], ['Charlotte', 'NC', 5], ['Raleigh', 'NC', 3],
  ['Greensboro', 'NC', 3], ['Columbia', 'SC', 2], ['Charleston', 'SC', 3], ['Jacksonville', 'FL', 4], ['Orlando', 'FL', 4], ['Tampa', 'FL', 4],
  ['Miami', 'FL', 4], ['Birmingham', 'AL', 3], ['Mobile', 'AL', 2], ['Jackson', 'MS', 2], ['New Orleans', 'LA', 3], ['Baton Rouge', 'LA', 2],
  ['Little Rock', 'AR', 2], ['Denver', 'CO', 4], ['Salt Lake City', 'UT', 3], ['Phoenix', 'AZ', 5], ['Tucson', 'AZ', 2], ['Albuquerque', 'NM', 2],
  ['Las Vegas', 'NV', 2], ['Los Angeles', 'CA', 9], ['Ontario', 'CA', 6], ['Fresno', 'CA', 3], ['Sacramento', 'CA', 3], ['Stockton', 'CA', 3],
  ['Oakland', 'CA', 3], ['Portland', 'OR', 3], ['Seattle', 'WA', 4], ['Spokane', 'WA', 1], ['Boise', 'ID', 1], ['Omaha', 'NE', 2],
  ['Des Moines', 'IA', 2], ['Allentown', 'PA', 3], ['Harrisburg', 'PA', 3], ['Pittsburgh', 'PA', 2], ['Philadelphia', 'PA', 4], ['Newark', 'NJ', 4],
  ['Edison', 'NJ', 3], ['Baltimore', 'MD', 3], ['Richmond', 'VA', 2], ['Norfolk', 'VA', 2], ['Hartford', 'CT', 1], ['Albany', 'NY', 1],
  ['Buffalo', 'NY', 2], ['Boston', 'MA', 3], ['Worcester', 'MA', 1],
];
