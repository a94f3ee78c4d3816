# pgha-lab: the latency fault's delayer, for kernels without sch_netem. iptables sends the node's
# packets to its peers to NFQUEUE; this holds each one for the delay (plus or minus the jitter) and
# then accepts it, in arrival order. It speaks nfnetlink_queue over a plain netlink socket, so it
# needs nothing but python3. It ends by itself after MAX_S seconds (or on SIGTERM), releasing
# every packet it still holds; with no reader, `--queue-bypass` lets packets through undelayed.
# Usage: python3 lab-delay.py QUEUE DELAY_MS JITTER_MS MAX_S PIDFILE READYFILE
import heapq, os, random, select, signal, socket, struct, sys, time

queue, delay_ms, jitter_ms, max_s = (int(a) for a in sys.argv[1:5])
pidfile, readyfile = sys.argv[5:7]
SUBSYS_QUEUE = 3
PACKET, VERDICT, CONFIG = (SUBSYS_QUEUE << 8) | 0, (SUBSYS_QUEUE << 8) | 1, (SUBSYS_QUEUE << 8) | 2
NLMSG_ERROR, REQUEST, ACK = 2, 1, 4
NF_ACCEPT = 1

sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)  # NETLINK_NETFILTER
sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
sock.bind((0, 0))
seq = 0


def attr(kind, payload):
    a = struct.pack('=HH', 4 + len(payload), kind) + payload
    return a + b'\0' * (-len(a) % 4)


def send(kind, attrs, flags=REQUEST):
    global seq
    seq += 1
    body = struct.pack('!BBH', socket.AF_UNSPEC, 0, queue) + b''.join(attrs)
    sock.send(struct.pack('=IHHII', 16 + len(body), kind, flags, seq, 0) + body)


def messages(data):
    off = 0
    while off + 16 <= len(data):
        length, kind = struct.unpack_from('=IH', data, off)
        if length < 16:
            return
        yield kind, data[off + 16:off + length]
        off += (length + 3) & ~3


send(CONFIG, [attr(1, struct.pack('!BxH', 1, 0))], REQUEST | ACK)  # bind the queue
send(CONFIG, [attr(2, struct.pack('!IB', 0, 1)), attr(3, struct.pack('!I', 65536))], REQUEST | ACK)  # metadata only; queue length
acks = 0
while acks < 2:
    for kind, body in messages(sock.recv(1 << 16)):
        if kind == NLMSG_ERROR:
            err = struct.unpack_from('=i', body)[0]
            if err:
                sys.exit('nfnetlink_queue refused queue %d: %s' % (queue, os.strerror(-err)))
            acks += 1

end = time.monotonic() + max_s
signal.signal(signal.SIGTERM, lambda *_: globals().__setitem__('end', 0))
with open(pidfile, 'w') as f:
    f.write('%d\n' % os.getpid())
open(readyfile, 'w').close()

held, last = [], 0.0


def accept(packet_id):
    send(VERDICT, [attr(2, struct.pack('!II', NF_ACCEPT, packet_id))])


while time.monotonic() < end:
    wait = max(0.0, held[0][0] - time.monotonic()) if held else 0.5
    try:
        ready = select.select([sock], [], [], min(wait, 0.5))[0]
    except InterruptedError:
        ready = []
    if ready:
        for kind, body in messages(sock.recv(1 << 16)):
            if kind != PACKET:
                continue
            off = 4
            while off + 4 <= len(body):
                alen, akind = struct.unpack_from('=HH', body, off)
                if alen < 4:
                    break
                if akind & 0x7fff == 1:  # NFQA_PACKET_HDR: the packet id first
                    due = time.monotonic() + (delay_ms + random.uniform(-jitter_ms, jitter_ms)) / 1000
                    last = max(last, due)
                    heapq.heappush(held, (last, struct.unpack_from('!I', body, off + 4)[0]))
                off += (alen + 3) & ~3
    now = time.monotonic()
    while held and held[0][0] <= now:
        accept(heapq.heappop(held)[1])
for _, packet_id in held:
    accept(packet_id)
for f in (pidfile, readyfile):
    try:
        os.remove(f)
    except OSError:
        pass
