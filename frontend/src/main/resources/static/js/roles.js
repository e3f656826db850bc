// The six roles, in the order forms list them.
import { t } from './i18n.js';

export const ROLES = ['ADMIN', 'LEADER', 'PLANNER', 'GRID_MANAGER', 'INSPECTOR', 'HANDLER'];

export function roleLabel(code) {
  const key = `role.${code}`;
  const label = t(key);
  return label === key ? String(code) : label;
}

export function hasRole(user, role) {
  return !!(user && Array.isArray(user.roles) && user.roles.includes(role));
}
