import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { AllowQueryToken, CurrentUser } from '../auth/auth.decorators';
import { HEARTBEAT_MS, StreamService } from './stream.service';

@ApiTags('stream')
@ApiBearerAuth()
@Controller('api')
export class StreamController {
  constructor(private readonly stream: StreamService) {}

  @Get('stream')
  @AllowQueryToken()
  @ApiOperation({
    summary: 'Server-Sent Events: `event: progress` with `{"workflowId"}` whenever a visible workflow\'s progress changes; '
      + 'EventSource may pass the token as ?access_token=',
  })
  @ApiProduces('text/event-stream')
  async open(@Req() req: Request, @Res() res: Response, @CurrentUser() user: TokenOwner): Promise<void> {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    req.socket.setKeepAlive(true);
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);

    let open = true;
    const write = (chunk: string) => {
      if (open && !res.writableEnded) res.write(chunk);
    };
    const unsubscribe = await this.stream.subscribe({
      user,
      send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
      close: () => {
        if (!res.writableEnded) res.end();
      },
    });
    const heartbeat = setInterval(() => write(`: heartbeat ${new Date().toISOString()}\n\n`), HEARTBEAT_MS);
    const cleanup = () => {
      if (!open) return;
      open = false;
      clearInterval(heartbeat);
      unsubscribe();
    };
    res.on('close', cleanup);
    req.on('close', cleanup);
    // The stream is live: tell the client, and how soon to come back if it drops.
    write(`retry: 3000\nevent: ready\ndata: ${JSON.stringify({ scope: user.organisation })}\n\n`);
    if (req.destroyed) cleanup();
  }
}
