// Imported first by main.tsx, so that the first screen's questions go to the backend before React and Ant
// Design are even evaluated (see api/early.ts).
import { startEarly } from './api';

startEarly();
