// What every view may need about the open workspace: its status (zone, data dir) and the signed-in role.
import { createContext, useContext } from 'react';
import type { Status, User } from '../api';
import type { Role } from '../views/registry';
import { DEFAULT_ZONE } from './format';

export interface Workspace {
  status: Status;
  zone: string;
  role: Role | undefined;
  /** the signed-in person (undefined before sign-in). */
  user?: User | undefined;
}

export const WorkspaceContext = createContext<Workspace>({
  status: { version: '', dataDir: '', open: false, error: '', zone: DEFAULT_ZONE, demo: false },
  zone: DEFAULT_ZONE,
  role: undefined,
});

export const useWorkspace = (): Workspace => useContext(WorkspaceContext);
