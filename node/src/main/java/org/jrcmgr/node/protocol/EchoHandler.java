package org.jrcmgr.node.protocol;

import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.node.ErrorCodes;
import org.jrcmgr.node.PeerStream;
import org.jrcmgr.node.Reason;
import org.jrcmgr.node.StreamHandler;
import org.jrcmgr.offheap.NativeBuffer;

/** Serves {@code /echo/1.0.0}: every frame is sent back as it arrives; FIN is answered with FIN. */
final class EchoHandler implements StreamHandler {

    @Override
    public void onAdmit(PeerStream stream) {
        stream.scope().setService(Protocols.ECHO_SERVICE);
    }

    @Override
    public void onData(PeerStream stream, NativeBuffer data) {
        try {
            // The reply is copied into a frame reserved in this stream's scope before data is freed.
            stream.write(data.byteBuffer()).whenComplete((v, e) -> {
                if (e instanceof ResourceLimitExceededException refused) {
                    stream.reset(Reason.refusal(refused, ErrorCodes.STREAM_RESOURCE_LIMIT_EXCEEDED));
                }
            });
        } finally {
            data.close();
        }
    }

    @Override
    public void onRemoteClose(PeerStream stream) {
        stream.closeWrite();
    }
}
