import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { TwoFactorService } from '../auth/two-factor.service.js';
import {
  GroupCreateBody,
  GroupListResponse,
  GroupNameParams,
  GroupResponse,
  MemberAddBody,
  MemberParams,
  UserCreateBody,
  UserCreatedResponse,
  UserIdParams,
  UserListResponse,
  UserPatchBody,
  UserResponse,
} from './users.schemas.js';
import type { UsersService } from './users.service.js';

/** Users, groups and memberships (admins). */
export const usersRoutes: FastifyPluginAsyncTypebox<{
  users: UsersService;
  twoFactor: TwoFactorService;
}> = async (app, { users, twoFactor }) => {
  const tags = ['users'];
  app.get(
    '/api/users',
    { schema: { tags, summary: 'Every user (admins)', response: { 200: UserListResponse } } },
    async (request) => ({ items: await users.list(request.actor) }),
  );
  app.post(
    '/api/users',
    {
      schema: {
        tags,
        summary: 'Create a user, who must change the password at first sign-in (admins)',
        description: 'Groups default to ["editors"]; unknown groups answer 400.',
        body: UserCreateBody,
        response: { 201: UserCreatedResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await users.create(request.actor, request.body)),
  );
  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags,
        summary: 'Change a user: display name, groups (replaces them), disabled, password (admins)',
        params: UserIdParams,
        body: UserPatchBody,
        response: { 200: UserResponse },
      },
    },
    (request) => users.update(request.actor, request.params.id, request.body),
  );
  app.delete(
    '/api/users/:id',
    {
      schema: {
        tags,
        summary: 'Delete a user with their sessions and tokens (admins)',
        params: UserIdParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await users.delete(request.actor, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/users/:id/approve',
    {
      schema: {
        tags,
        summary: 'Approve a self sign-up: the account can sign in from now on (admins)',
        description: 'Answers 409 when the account is not waiting for approval.',
        params: UserIdParams,
        response: { 200: UserResponse },
      },
    },
    (request) => users.approve(request.actor, request.params.id),
  );
  app.post(
    '/api/users/:id/reject',
    {
      schema: {
        tags,
        summary: 'Reject a self sign-up: the waiting account is deleted (admins)',
        description: 'Answers 409 when the account is not waiting for approval.',
        params: UserIdParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await users.reject(request.actor, request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.delete(
    '/api/users/:id/two-factor',
    {
      schema: {
        tags,
        summary:
          "Reset a user's two-factor sign-in (a lost phone): it is off until they enrol again (admins)",
        params: UserIdParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await twoFactor.reset(request.actor, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/groups',
    { schema: { tags, summary: 'Every group (admins)', response: { 200: GroupListResponse } } },
    async (request) => ({ items: await users.listGroups(request.actor) }),
  );
  app.post(
    '/api/groups',
    {
      schema: {
        tags,
        summary: 'Create a group (admins)',
        body: GroupCreateBody,
        response: { 201: GroupResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await users.createGroup(request.actor, request.body)),
  );
  app.delete(
    '/api/groups/:name',
    {
      schema: {
        tags,
        summary: 'Delete a group; it leaves every folder too (admins; not admin or editors)',
        params: GroupNameParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await users.deleteGroup(request.actor, request.params.name);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/groups/:name/members',
    {
      schema: {
        tags,
        summary: 'Add a user to a group (admins)',
        params: GroupNameParams,
        body: MemberAddBody,
        response: { 200: UserResponse },
      },
    },
    (request) => users.addMember(request.actor, request.params.name, request.body.user),
  );
  app.delete(
    '/api/groups/:name/members/:user',
    {
      schema: {
        tags,
        summary: 'Take a user out of a group (admins)',
        params: MemberParams,
        response: { 200: UserResponse },
      },
    },
    (request) => users.removeMember(request.actor, request.params.name, request.params.user),
  );
};
