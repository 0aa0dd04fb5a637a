import { SetMetadata } from '@nestjs/common';
import { type ApiScope } from '@spark/contracts';

export const REQUIRED_SCOPE = 'spark:required-scope';
export const PUBLIC_ROUTE = 'spark:public-route';

/** The scope a route needs; on a controller it applies to every route without its own. */
export const RequireScope = (scope: ApiScope) => SetMetadata(REQUIRED_SCOPE, scope);

/** A route anyone may call (documentation). Health routes are public too. */
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE, true);

const RANK: Record<ApiScope, number> = { read: 1, write: 2, admin: 3 };

/** admin includes write, write includes read. */
export const grants = (held: readonly ApiScope[], needed: ApiScope): boolean =>
  held.some((scope) => RANK[scope] >= RANK[needed]);
