import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { CurrentUser } from '../auth/auth.decorators';
import { ZodQuery } from '../common/openapi';
import { RegistryDiffService, registryDiffQuery } from './registry-diff.service';

@ApiTags('registry')
@ApiBearerAuth()
@Controller('api')
export class RegistryDiffController {
  constructor(private readonly diffs: RegistryDiffService) {}

  @Get('registry/diff')
  @ApiOperation({
    summary: 'Organisations, service areas, holdings and share registers changed between two Helsinki dates, each with the workflow and decision that made it',
  })
  @ZodQuery(registryDiffQuery)
  diff(@Query() query: unknown, @CurrentUser() user: TokenOwner) {
    return this.diffs.diff(query, user);
  }
}
