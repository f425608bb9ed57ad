// Public tables as published, from the vega-datasets package (a devDependency).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// The package exports only its build (build/index.js); the files sit beside it in data/.
const DATA = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data');

/** Penguins (JSON): 344 rows, categories (Island, Sex with a "." value) and gaps in every measurement. */
export const PENGUINS = join(DATA, 'penguins.json');
/** Seattle weather (CSV): 1,461 days, a date column, the weather as a category. */
export const SEATTLE_WEATHER = join(DATA, 'seattle-weather.csv');
/** Flights (Parquet): 3,000,000 flights of 2001, date-times, distance, delay, origin and destination airports. */
export const FLIGHTS_3M = join(DATA, 'flights-3m.parquet');
