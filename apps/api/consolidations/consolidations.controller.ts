import { Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ZodOk, ZodQuery } from '../common/openapi';
import { parseBody } from '../common/zod-body';
import { WorkflowsService } from '../workflows/workflows.service';
import { itemPageAnswer, itemsQuerySchema, uploadedItemListAnswer } from './item-answers';
import { ItemListsService } from './item-lists.service';

/** Consolidations of realistic size: item lists uploaded ahead of a launch, and a run's items page by page. */
@ApiTags('consolidations')
@ApiBearerAuth()
@Controller('api')
export class ConsolidationsController {
  constructor(private readonly lists: ItemListsService, private readonly workflows: WorkflowsService) {}

  @Post('consolidations/item-lists')
  @Roles('admin')
  @ApiConsumes('text/csv', 'application/x-ndjson')
  @ApiOperation({
    summary: 'Upload a party\'s staff references and agreements (CSV with header kind,ref,counterparty, unquoted; or JSON lines), '
      + 'validated line by line: 400 names every bad line, field and reason and stores nothing; a launch names the id as parties[].itemList',
  })
  @ZodOk(uploadedItemListAnswer, 201)
  upload(@Req() req: Request, @CurrentUser() user: TokenOwner) {
    return this.lists.upload(req, { contentType: req.headers['content-type'], contentEncoding: req.headers['content-encoding'] }, user);
  }

  @Get('workflows/:id/items')
  @Roles('auditor', 'admin', 'manager')
  @ApiOperation({ summary: "A consolidation's staff, agreements and projects with what happened to each, in order, page by page (after=nextAfter)" })
  @ApiParam({ name: 'id', description: 'the consolidation\'s workflow id, e.g. consolidation:uusimaa-2027' })
  @ZodQuery(itemsQuerySchema)
  @ZodOk(itemPageAnswer)
  async items(@Param('id') id: string, @Query() query: unknown, @CurrentUser() user: TokenOwner) {
    const q = parseBody(itemsQuerySchema, query);
    await this.workflows.readable(id, user);
    return this.lists.page(id, q);
  }
}
