export { checkSpace, type Space, type ParameterSpec, type Assignment, type SpaceIssue } from './space.ts';
export { gridSize, gridPoint } from './grid.ts';
export { randomPoint } from './random-search.ts';
export { applyParameters, PathError } from './apply-parameters.ts';
export { rungEpochs, continuesAtRung, type AshaSettings, type Goal } from './asha.ts';
