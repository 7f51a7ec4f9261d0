import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { notifyPreferenceSchema, notifyPreferenceViewSchema } from '../../../libs/domain/notifications';
import { delegationInputSchema, personInputSchema, roleInputSchema } from '../../../libs/domain/people';
import { ZodBody, ZodOk } from '../common/openapi';
import { RequestId } from '../common/request-id';
import { PeopleService } from './people.service';

@ApiTags('people')
@ApiBearerAuth()
@Controller('api')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Post('people')
  @Roles('admin')
  @ApiOperation({ summary: 'Add a person: pseudonymous id, display name, e-mail, language (fi, sv, en)' })
  @ZodBody(personInputSchema)
  create(@Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.people.create(body, user, requestId);
  }

  @Get('people')
  @ApiOperation({ summary: 'People with their roles, in id order (?organisation=&after=&limit=)' })
  list(@Query() query: Record<string, unknown>, @CurrentUser() user: TokenOwner) {
    return this.people.list(query, user);
  }

  @Get('people/:id')
  @ApiOperation({ summary: 'A person with roles and delegations' })
  get(@Param('id') id: string, @CurrentUser() user: TokenOwner) {
    return this.people.get(id, user);
  }

  @Post('people/:id/roles')
  @Roles('admin')
  @ApiOperation({ summary: 'Give a person a role in an organisation (optionally in a body) for a date range' })
  @ZodBody(roleInputSchema)
  addRole(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.people.addRole(id, body, user, requestId);
  }

  @Post('people/:id/erasure')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: "Erase a person's name and e-mail; the pseudonymous id and recorded decisions stay" })
  erase(@Param('id') id: string, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.people.erase(id, user, requestId);
  }

  @Get('people/:id/notify')
  @ApiOperation({ summary: "How a person gets their mail: immediate, or daily (one digest per Helsinki day); admin or the person" })
  @ZodOk(notifyPreferenceViewSchema)
  notify(@Param('id') id: string, @CurrentUser() user: TokenOwner) {
    return this.people.notifyPreference(id, user);
  }

  @Post('people/:id/notify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set how a person gets their mail (immediate or daily); admin or the person themselves' })
  @ZodBody(notifyPreferenceSchema)
  @ZodOk(notifyPreferenceViewSchema)
  setNotify(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.people.setNotifyPreference(id, body, user, requestId);
  }

  @Post('delegations')
  @Roles('admin', 'manager')
  @ApiOperation({ summary: 'Hand a role to a substitute for a date range (no overlap, not to oneself, not in the past)' })
  @ZodBody(delegationInputSchema)
  delegate(@Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.people.delegate(body, user, requestId);
  }

  @Get('delegations')
  @ApiOperation({ summary: 'Delegations from or to a person (?person=)' })
  delegations(@Query() query: Record<string, unknown>, @CurrentUser() user: TokenOwner) {
    return this.people.delegationsOf(query, user);
  }
}
