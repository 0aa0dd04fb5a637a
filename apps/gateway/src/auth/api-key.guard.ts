import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type ApiKeyResource, type ApiScope, PROBLEM_TYPES } from '@spark/contracts';
import { HealthController } from '@spark/service-kit';
import type { Request } from 'express';
import { ProblemException } from '../problems/problem';
import { ApiKeyStore } from './api-key-store';
import { grants, PUBLIC_ROUTE, REQUIRED_SCOPE } from './scopes';

export interface AuthenticatedRequest extends Request {
  apiKey?: ApiKeyResource;
}

/**
 * Bearer API keys on every route but health and documentation. A route without a declared scope is
 * refused (secure by default): 401 without a valid key, 403 when the key lacks the scope.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyStore,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (context.getClass() === HealthController) return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const needed = this.reflector.getAllAndOverride<ApiScope | undefined>(REQUIRED_SCOPE, targets) ?? 'admin';
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    if (!token) {
      throw unauthenticated(
        header
          ? 'The Authorization header is not "Bearer <api key>"'
          : 'An API key is required: send "Authorization: Bearer <api key>"',
      );
    }
    const key = await this.keys.authenticate(token);
    if (!key) throw unauthenticated('The API key is not valid (unknown or revoked)');
    request.apiKey = key;
    if (!grants(key.scopes, needed)) {
      throw new ProblemException({
        type: PROBLEM_TYPES.forbidden,
        title: 'Forbidden',
        status: 403,
        detail: `This operation needs the "${needed}" scope; the API key "${key.name}" has ${key.scopes.map((s) => `"${s}"`).join(', ')}`,
      });
    }
    return true;
  }
}

function unauthenticated(detail: string): ProblemException {
  return new ProblemException({
    type: PROBLEM_TYPES.unauthenticated,
    title: 'Unauthenticated',
    status: 401,
    detail,
  });
}
