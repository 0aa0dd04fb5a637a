import type { Metadata } from '@grpc/grpc-js';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type ApiScope, PROBLEM_TYPES } from '@spark/contracts';
import { ApiKeyStore } from '../auth/api-key-store';
import { grants, REQUIRED_SCOPE } from '../auth/scopes';
import { ProblemException } from '../problems/problem';

/**
 * The REST API's key check for gRPC: a Bearer key from the `authorization` metadata, the scope the
 * method declares with @RequireScope (admin when none: secure by default), the same problems (401
 * UNAUTHENTICATED, 403 PERMISSION_DENIED after the error mapping).
 */
@Injectable()
export class GrpcApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyStore,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'rpc') return true;
    const needed =
      this.reflector.getAllAndOverride<ApiScope | undefined>(REQUIRED_SCOPE, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'admin';
    const metadata = context.switchToRpc().getContext<Metadata>();
    const header = metadata?.get?.('authorization')?.[0];
    const value = typeof header === 'string' ? header : header?.toString('utf8');
    const token = /^Bearer\s+(\S+)\s*$/i.exec(value ?? '')?.[1];
    if (!token)
      throw unauthenticated(
        value
          ? 'The authorization metadata is not "Bearer <api key>"'
          : 'An API key is required: send the metadata "authorization: Bearer <api key>"',
      );
    const key = await this.keys.authenticate(token);
    if (!key) throw unauthenticated('The API key is not valid (unknown or revoked)');
    if (!grants(key.scopes, needed))
      throw new ProblemException({
        type: PROBLEM_TYPES.forbidden,
        title: 'Forbidden',
        status: 403,
        detail: `This operation needs the "${needed}" scope; the API key "${key.name}" has ${key.scopes.map((s) => `"${s}"`).join(', ')}`,
      });
    return true;
  }
}

const unauthenticated = (detail: string): ProblemException =>
  new ProblemException({
    type: PROBLEM_TYPES.unauthenticated,
    title: 'Unauthenticated',
    status: 401,
    detail,
  });
