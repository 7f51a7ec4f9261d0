import { Controller, Get, HttpCode, Logger, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ZodOk, ZodParam, ZodQuery } from '../common/openapi';
import {
  AuditLogService, checkpointListAnswer, checkpointListQuery, checkpointMadeAnswer, consistencyAnswer, consistencyQuery, eventIdParam,
  inclusionAnswer, inclusionQuery, publicKeyAnswer, verifyAnswer, verifyQuery,
} from './audit-log.service';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
export class AuditLogController {
  private readonly log = new Logger('AuditVerify');

  constructor(private readonly auditLog: AuditLogService) {}

  @Get('verify')
  @Roles('auditor')
  @ApiOperation({
    summary: 'Recompute every audit chain, the Merkle log and the signed checkpoints; name what is broken. '
      + 'With progress=ndjson: one {"progress"} line a page ({phase, done, total, seconds, perSecond}), then {"result"}',
  })
  @ApiProduces('application/json', 'application/x-ndjson')
  @ZodQuery(verifyQuery)
  @ZodOk(verifyAnswer)
  async verify(@Query() query: unknown, @Res() res: Response): Promise<void> {
    const q = this.auditLog.verifyRequest(query);
    if (q.progress !== 'ndjson') {
      res.json(await this.auditLog.verify(q));
      return;
    }
    res.status(200).type('application/x-ndjson');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    const line = (value: unknown) => {
      // A client gone away: the walk finishes in its snapshot, its lines go nowhere.
      if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify(value)}\n`);
    };
    try {
      line({ result: await this.auditLog.verify(q, (progress) => line({ progress })) });
    } catch (e) {
      // The status went out with the first line: a failure now can only be told in the stream.
      this.log.error(`verify failed while streaming: ${String(e)}`);
      line({ error: { error: 'internal_error', message: 'the verification failed before it finished', details: [] } });
    }
    res.end();
  }

  @Get('public-key')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'The Ed25519 public key that signs the audit checkpoints, and the statement it signs' })
  @ZodOk(publicKeyAnswer)
  publicKey() {
    return this.auditLog.publicKey();
  }

  @Get('checkpoints')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Signed checkpoints (tree size, root) of the audit log, newest first' })
  @ZodQuery(checkpointListQuery)
  @ZodOk(checkpointListAnswer)
  list(@Query() query: unknown) {
    return this.auditLog.list(query);
  }

  @Post('checkpoints')
  @HttpCode(200)
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Log the chains’ new links and sign a checkpoint now (null when nothing is new)' })
  @ZodOk(checkpointMadeAnswer)
  checkpoint() {
    return this.auditLog.checkpoint();
  }

  @Get('checkpoints/consistency')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'RFC 6962 consistency proof: the checkpoint of `to` leaves extends the one of `from`' })
  @ZodQuery(consistencyQuery)
  @ZodOk(consistencyAnswer)
  consistency(@Query() query: unknown) {
    return this.auditLog.consistency(query);
  }

  @Get('events/:id/inclusion-proof')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'RFC 6962 audit path of an audit event (by seq) in a signed checkpoint' })
  @ZodParam('id', eventIdParam, 'the audit event seq')
  @ZodQuery(inclusionQuery)
  @ZodOk(inclusionAnswer)
  inclusion(@Param('id') id: string, @Query() query: unknown, @CurrentUser() user: TokenOwner) {
    return this.auditLog.inclusion(id, query, user);
  }
}
