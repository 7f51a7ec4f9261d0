import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { historicalRecordSchema } from '../../../libs/domain/historical-record';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ZodBody } from '../common/openapi';
import { RequestId } from '../common/request-id';
import { HistoricalRecordsService } from './historical-records.service';

@ApiTags('historical-records')
@ApiBearerAuth()
@Controller('api/historical-records')
export class HistoricalRecordsController {
  constructor(private readonly records: HistoricalRecordsService) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({
    summary: 'Record a process that happened before Fuusio (imported): its decisions on their real dates, its effective date and the registry changes it made',
  })
  @ZodBody(historicalRecordSchema)
  record(@Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.records.record(body, user, requestId);
  }

  @Get()
  @Roles('admin', 'auditor', 'manager')
  @ApiOperation({ summary: 'The imported historical records the token may see' })
  list(@CurrentUser() user: TokenOwner) {
    return this.records.list(user);
  }

  @Get(':id')
  @Roles('admin', 'auditor', 'manager')
  @ApiOperation({ summary: 'One imported historical record' })
  @ApiParam({ name: 'id', description: 'the record id (UUID)' })
  detail(@Param('id') id: string, @CurrentUser() user: TokenOwner) {
    return this.records.detail(id, user);
  }
}
