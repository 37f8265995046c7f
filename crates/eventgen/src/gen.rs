//! The event generator: a small simulated fleet of hosts with running processes, emitting
//! Elastic Defend-shaped events, plus planted matches of the seed rule.
//!
//! How the match count stays exact:
//! - Only two kinds of events can start a stage-1 partial of the seed rule: the planted
//!   connection events, and the "armed" connections of noise `wscript.exe`/`cscript.exe`
//!   processes on Windows hosts.
//! - Every planted process has its own `process.entity_id`. It makes two qualifying network
//!   events (the second replaces the first partial) and then creates one `.exe`/`.dll`. It does
//!   nothing else, so each plant yields exactly one sequence.
//! - A noise script process that made a qualifying connection ("armed") never again creates an
//!   `.exe`/`.dll`. Its later file events are other extensions, or are `change`/`deletion` events on
//!   executables. Before it is armed, it may create executables freely, because no partial is
//!   pending yet.
//! - Other noise uses processes that are not script interpreters, and network events of script
//!   processes that fail the rule (DNS, loopback, IPv6, ingress). Wine `wscript.exe` on Linux
//!   hosts fails `host.os.type == "windows"`.

use crate::catalog::*;
use crate::out::*;
use crate::rng::Rng;
use crate::GenConfig;

/// Number of events in one planted match (start, DNS, connect, disconnect, file creation).
pub const PLANT_LEN: usize = 5;

const WIN_SLOTS: usize = 12;
const LINUX_SLOTS: usize = 8;
/// 2026-03-01T00:00:00.000Z in epoch milliseconds.
pub const START_MS: i64 = days_from_civil(2026, 3, 1) * 86_400_000;
/// Seconds between 1601-01-01 and 1970-01-01 (Windows FILETIME epoch).
const FILETIME_EPOCH_SECS: i64 = 11_644_473_600;

struct Proc {
    kind: &'static Kind,
    /// JSON object body (no braces): entity_id, executable, name, pid.
    body: String,
    /// JSON of argv, e.g. `["a","b"]`, and the escaped command line.
    args_json: String,
    args_count: usize,
    cmd_json: String,
    /// Script processes only: made a connection that qualifies for stage 1.
    armed: bool,
}

struct Host {
    windows: bool,
    user: &'static str,
    sid: String,
    agent_json: String,
    host_json: String,
    user_json: String,
    system_json: String,
    ip: [u8; 4],
    ip6: u16,
    dns: [u8; 4],
    agent_id: String,
    /// Parent of interactive processes (explorer.exe / bash login shell).
    desktop: Proc,
    /// Parent of system processes (services.exe / systemd).
    services: Proc,
    procs: Vec<Proc>,
}

struct Plant {
    host: usize,
    proc: Proc,
    at: [usize; PLANT_LEN],
    next: usize,
    dst: [u8; 4],
    domain: &'static str,
    sport: u16,
    dport: u16,
    outgoing: bool,
    http: bool,
}

/// Streaming generator: call [`Generator::write_next`] until it returns `false`.
pub struct Generator {
    rng: Rng,
    hosts: Vec<Host>,
    windows_hosts: Vec<usize>,
    ts: TsFmt,
    now_ms: i64,
    emitted: usize,
    total: usize,
    every: usize,
    /// Index of the first event of the next planting block.
    next_block: usize,
    plant: Option<Plant>,
    entities: u64,
    path: String,
}

#[derive(Clone, Copy)]
enum Cat {
    Process,
    Network,
    Dns,
    File,
    Registry,
    Library,
}

impl Cat {
    fn category(self) -> &'static str {
        match self {
            Cat::Process => "process",
            Cat::Network | Cat::Dns => "network",
            Cat::File => "file",
            Cat::Registry => "registry",
            Cat::Library => "library",
        }
    }
    fn dataset(self) -> &'static str {
        match self {
            Cat::Process => "endpoint.events.process",
            Cat::Network | Cat::Dns => "endpoint.events.network",
            Cat::File => "endpoint.events.file",
            Cat::Registry => "endpoint.events.registry",
            Cat::Library => "endpoint.events.library",
        }
    }
}

/// An IP address to write.
#[derive(Clone, Copy)]
enum Ip {
    V4([u8; 4]),
    /// `prefix` + `a` + `::` + `b`, e.g. `2606:4700:1a::2b`.
    V6(&'static str, u16, u16),
}

fn write_ip(out: &mut String, ip: Ip) {
    out.push('"');
    match ip {
        Ip::V4(o) => {
            for (i, b) in o.iter().enumerate() {
                if i > 0 {
                    out.push('.');
                }
                uint(out, *b as u64);
            }
        }
        Ip::V6(prefix, a, b) => {
            out.push_str(prefix);
            write_hex_group(out, a);
            out.push_str("::");
            write_hex_group(out, b);
        }
    }
    out.push('"');
}

fn write_hex_group(out: &mut String, v: u16) {
    let digits = if v >= 0x1000 {
        4
    } else if v >= 0x100 {
        3
    } else if v >= 0x10 {
        2
    } else {
        1
    };
    hex(out, v as u64, digits);
}

/// Appends `template` with `{u}` and `{sid}` substituted.
fn subst(dst: &mut String, template: &str, user: &str, sid: &str) {
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        dst.push_str(&rest[..i]);
        let after = &rest[i..];
        if let Some(r) = after.strip_prefix("{u}") {
            dst.push_str(user);
            rest = r;
        } else if let Some(r) = after.strip_prefix("{sid}") {
            dst.push_str(sid);
            rest = r;
        } else {
            dst.push('{');
            rest = &after[1..];
        }
    }
    dst.push_str(rest);
}

fn pick_kind(rng: &mut Rng, kinds: &'static [Kind]) -> &'static Kind {
    let total: u32 = kinds.iter().map(|k| k.weight).sum();
    let mut r = rng.below(total as usize) as u32;
    for k in kinds {
        if r < k.weight {
            return k;
        }
        r -= k.weight;
    }
    &kinds[kinds.len() - 1]
}

impl Generator {
    pub fn new(cfg: &GenConfig) -> Self {
        let nhosts = cfg.hosts.max(1);
        let mut g = Generator {
            rng: Rng::new(cfg.seed ^ 0x6576_656E_7467_656E), // "eventgen"
            hosts: Vec::with_capacity(nhosts),
            windows_hosts: Vec::new(),
            ts: TsFmt::new(),
            now_ms: START_MS,
            emitted: 0,
            total: cfg.events,
            every: effective_every(cfg.match_every),
            next_block: 0,
            plant: None,
            entities: 0,
            path: String::with_capacity(256),
        };
        for i in 0..nhosts {
            // Host 0 is always Windows, so plants always have a home; every fifth host is Linux.
            let windows = i % 5 != 4;
            let host = g.new_host(i, windows);
            if windows {
                g.windows_hosts.push(i);
            }
            g.hosts.push(host);
        }
        g
    }

    /// Events still to come.
    pub fn remaining(&self) -> usize {
        self.total - self.emitted
    }

    /// Appends the next event (one line, `\n`-terminated). Returns `false` when done.
    pub fn write_next(&mut self, out: &mut String) -> bool {
        if self.emitted >= self.total {
            return false;
        }
        let i = self.emitted;
        if self.every > 0 && i == self.next_block {
            if i + self.every <= self.total {
                self.start_plant(i);
            }
            self.next_block += self.every;
        }
        // The first event is at exactly START_MS; then a few ms between events.
        if i > 0 {
            self.now_ms += self.rng.range(1, 6) as i64;
        }
        let planted = matches!(&self.plant, Some(p) if p.at[p.next] == i);
        if planted {
            self.plant_step(out);
        } else {
            self.noise(out);
        }
        self.emitted += 1;
        true
    }

    // ------------------------------------------------------------------ world building

    fn new_host(&mut self, index: usize, windows: bool) -> Host {
        let r = &mut self.rng;
        let user = r.pick(USERS);
        let os = if windows {
            &WINDOWS_OS[r.below(WINDOWS_OS.len())]
        } else {
            &LINUX_OS[r.below(LINUX_OS.len())]
        };
        let mut name = String::new();
        name.push_str(if windows {
            r.pick(WIN_HOST_PREFIX)
        } else {
            r.pick(LINUX_HOST_PREFIX)
        });
        name.push('-');
        uint(&mut name, 100 + index as u64);
        let mut id = String::new();
        uuid(&mut id, r.next_u64(), r.next_u64());
        let mut agent_id = String::new();
        uuid(&mut agent_id, r.next_u64(), r.next_u64());
        let rid = 1100 + r.below(3000) as u64;
        let mut sid = String::from("S-1-5-21-3623811015-3361044348-30300820-");
        uint(&mut sid, rid);
        let ip = [
            10,
            20 + (index / 250) as u8 % 200,
            4 + r.below(8) as u8,
            10 + (index % 240) as u8,
        ];

        let mut agent_json = String::from("\"agent\":{\"id\":\"");
        agent_json.push_str(&agent_id);
        agent_json.push_str("\",\"type\":\"endpoint\"}");

        let mut h = String::from("\"host\":{\"id\":\"");
        h.push_str(&id);
        h.push_str("\",\"name\":");
        qstr(&mut h, &name);
        h.push_str(",\"os\":{\"family\":");
        qstr(&mut h, os.family);
        h.push_str(",\"name\":");
        qstr(&mut h, os.name);
        h.push_str(",\"platform\":");
        qstr(&mut h, os.platform);
        h.push_str(",\"type\":");
        qstr(&mut h, os.os_type);
        h.push_str("}}");

        let (user_json, system_json) = if windows {
            let mut u = String::from("\"user\":{\"domain\":\"CORP\",\"name\":");
            qstr(&mut u, user);
            u.push('}');
            (
                u,
                "\"user\":{\"domain\":\"NT AUTHORITY\",\"name\":\"SYSTEM\"}".to_string(),
            )
        } else {
            let mut u = String::from("\"user\":{\"name\":");
            qstr(&mut u, user);
            u.push('}');
            (u, "\"user\":{\"name\":\"root\"}".to_string())
        };

        let ip6 = self.rng.below(0x10000) as u16;
        let mut host = Host {
            windows,
            user,
            sid,
            agent_json,
            host_json: h,
            user_json,
            system_json,
            ip,
            ip6,
            dns: [10, ip[1], 0, 10],
            agent_id,
            desktop: placeholder(),
            services: placeholder(),
            procs: Vec::new(),
        };
        let (desktop, services): (&'static Kind, &'static Kind) = if windows {
            (&EXPLORER, &SERVICES)
        } else {
            (&LOGIN_BASH, &SYSTEMD)
        };
        host.desktop = self.spawn(&host, desktop, None);
        host.services = self.spawn(&host, services, None);
        let slots = if windows { WIN_SLOTS } else { LINUX_SLOTS };
        for _ in 0..slots {
            let p = self.spawn_random(&host);
            host.procs.push(p);
        }
        host
    }

    fn spawn_random(&mut self, host: &Host) -> Proc {
        let kind = pick_kind(
            &mut self.rng,
            if host.windows {
                WINDOWS_KINDS
            } else {
                LINUX_KINDS
            },
        );
        let script = if matches!(kind.role, Role::Script | Role::Wine) {
            let mut s = String::new();
            let dir = self.rng.pick(SCRIPT_DIRS);
            if host.windows {
                subst(&mut s, dir, host.user, &host.sid);
                s.push('\\');
            } else {
                s.push_str("/home/");
                s.push_str(host.user);
                s.push_str("/Downloads/");
            }
            s.push_str(self.rng.pick(SCRIPT_NAMES));
            s.push('.');
            s.push_str(self.rng.pick(SCRIPT_EXTS));
            Some(s)
        } else {
            None
        };
        self.spawn(host, kind, script.as_deref())
    }

    fn spawn(&mut self, host: &Host, kind: &'static Kind, script: Option<&str>) -> Proc {
        let pid = 400 + 4 * self.rng.below(4000) as u32;
        self.entities += 1;
        let secs = self.now_ms.div_euclid(1000) + FILETIME_EPOCH_SECS;
        let mut raw = String::with_capacity(80);
        raw.push_str(&host.agent_id);
        raw.push('-');
        uint(&mut raw, pid as u64);
        raw.push('-');
        uint(&mut raw, secs as u64);
        raw.push('.');
        let frac = self.entities;
        let mut f = String::new();
        uint(&mut f, frac);
        for _ in f.len()..9 {
            raw.push('0');
        }
        raw.push_str(&f);

        let mut exe = String::new();
        subst(&mut exe, kind.exe, host.user, &host.sid);

        let mut body = String::with_capacity(200);
        body.push_str("\"entity_id\":\"");
        base64(&mut body, raw.as_bytes());
        body.push_str("\",\"executable\":");
        qstr(&mut body, &exe);
        body.push_str(",\"name\":");
        qstr(&mut body, kind.name);
        body.push_str(",\"pid\":");
        uint(&mut body, pid as u64);

        // argv and command line
        let mut argv: Vec<String> = Vec::with_capacity(kind.args.len() + 2);
        argv.push(exe.clone());
        for a in kind.args {
            let mut s = String::new();
            subst(&mut s, a, host.user, &host.sid);
            argv.push(s);
        }
        if let Some(sc) = script {
            argv.push(sc.to_string());
        }
        let mut args_json = String::from("[");
        let mut cmd = String::new();
        for (i, a) in argv.iter().enumerate() {
            if i > 0 {
                args_json.push(',');
                cmd.push(' ');
            }
            qstr(&mut args_json, a);
            if host.windows && (i == 0 || a.contains(' ')) {
                cmd.push('"');
                cmd.push_str(a);
                cmd.push('"');
            } else {
                cmd.push_str(a);
            }
        }
        args_json.push(']');
        let mut cmd_json = String::new();
        qstr(&mut cmd_json, &cmd);
        Proc {
            kind,
            body,
            args_json,
            args_count: argv.len(),
            cmd_json,
            armed: false,
        }
    }

    // ------------------------------------------------------------------ event framing

    fn head(&mut self, out: &mut String, h: usize, cat: Cat, action: &str, types: &str) {
        out.push_str("{\"@timestamp\":\"");
        self.ts.write(out, self.now_ms);
        out.push_str("\",");
        let host = &self.hosts[h];
        out.push_str(&host.agent_json);
        out.push_str(",\"ecs\":{\"version\":\"8.11.0\"},\"event\":{\"action\":\"");
        out.push_str(action);
        out.push_str("\",\"category\":[\"");
        out.push_str(cat.category());
        out.push_str("\"],\"dataset\":\"");
        out.push_str(cat.dataset());
        out.push_str("\",\"id\":\"");
        let bits = self.rng.next_u64();
        b64_chars(out, bits, 10);
        let bits = self.rng.next_u64();
        b64_chars(out, bits, 10);
        out.push_str("\",\"type\":[");
        out.push_str(types);
        out.push_str("]},");
        out.push_str(&self.hosts[h].host_json);
        out.push(',');
    }

    /// Writes `"process":{…},"user":{…}}` and the newline.
    fn tail(out: &mut String, host: &Host, p: &Proc) {
        out.push_str("\"process\":{");
        out.push_str(&p.body);
        out.push_str("},");
        out.push_str(if p.kind.system {
            &host.system_json
        } else {
            &host.user_json
        });
        out.push_str("}\n");
    }

    // ------------------------------------------------------------------ planted matches

    fn start_plant(&mut self, block_start: usize) {
        // Floyd's algorithm: PLANT_LEN distinct offsets in 0..every, then sorted.
        let n = self.every;
        let mut set = [usize::MAX; PLANT_LEN];
        for (k, j) in (n - PLANT_LEN..n).enumerate() {
            let t = self.rng.below(j + 1);
            set[k] = if set[..k].contains(&t) { j } else { t };
        }
        set.sort_unstable();
        let mut at = [0; PLANT_LEN];
        for (a, s) in at.iter_mut().zip(set) {
            *a = block_start + s;
        }
        let host = self.windows_hosts[self.rng.below(self.windows_hosts.len())];
        let kind = if self.rng.percent(70) {
            &WSCRIPT
        } else {
            &CSCRIPT
        };
        let mut script = String::new();
        {
            let hst = &self.hosts[host];
            subst(
                &mut script,
                if self.rng.percent(60) {
                    SCRIPT_DIRS[0]
                } else {
                    SCRIPT_DIRS[1]
                },
                hst.user,
                &hst.sid,
            );
        }
        script.push('\\');
        script.push_str(self.rng.pick(SCRIPT_NAMES));
        script.push('.');
        script.push_str(self.rng.pick(SCRIPT_EXTS));
        let hosts = std::mem::take(&mut self.hosts);
        let proc = self.spawn(&hosts[host], kind, Some(&script));
        self.hosts = hosts;
        let net = self.rng.pick(SUSPICIOUS_NETS);
        let dst = [net[0], net[1], net[2], 2 + self.rng.below(250) as u8];
        self.plant = Some(Plant {
            host,
            proc,
            at,
            next: 0,
            dst,
            domain: self.rng.pick(SUSPICIOUS_DOMAINS),
            sport: 49_152 + self.rng.below(16_000) as u16,
            dport: if self.rng.percent(60) { 80 } else { 443 },
            outgoing: self.rng.percent(25),
            http: self.rng.percent(30),
        });
    }

    fn plant_step(&mut self, out: &mut String) {
        let mut plant = self.plant.take().expect("plant");
        let h = plant.host;
        let step = plant.next;
        match step {
            0 => {
                self.head(out, h, Cat::Process, "start", "\"start\"");
                let host = &self.hosts[h];
                Self::write_start(out, &plant.proc, &host.desktop);
                Self::tail_user(out, host, &plant.proc);
            }
            1 => {
                self.head(out, h, Cat::Dns, "lookup_result", "\"protocol\",\"info\"");
                let host = &self.hosts[h];
                write_dns(
                    out,
                    host,
                    plant.domain,
                    Some(Ip::V4(plant.dst)),
                    plant.sport.wrapping_sub(7),
                );
                Self::tail(out, host, &plant.proc);
            }
            2 | 3 => {
                let (action, types) = if step == 2 {
                    ("connection_attempted", "\"start\"")
                } else {
                    ("disconnect_received", "\"end\"")
                };
                self.head(out, h, Cat::Network, action, types);
                let host = &self.hosts[h];
                let conn = Conn {
                    direction: if plant.outgoing { "outgoing" } else { "egress" },
                    protocol: if plant.http { Some("http") } else { None },
                    transport: "tcp",
                    src: Ip::V4(host.ip),
                    sport: plant.sport,
                    dst: Ip::V4(plant.dst),
                    dport: plant.dport,
                    domain: Some(plant.domain),
                    bytes: if step == 3 {
                        Some((
                            1_800 + plant.sport as u64 % 900,
                            40_960 + plant.dst[3] as u64 * 4_096,
                        ))
                    } else {
                        None
                    },
                };
                write_conn(out, &conn);
                Self::tail(out, host, &plant.proc);
            }
            _ => {
                self.head(out, h, Cat::File, "creation", "\"creation\"");
                let dll = self.rng.percent(25);
                let upper = self.rng.percent(10);
                let mut path = std::mem::take(&mut self.path);
                path.clear();
                let host = &self.hosts[h];
                subst(
                    &mut path,
                    r"C:\Users\{u}\AppData\Local\Temp\",
                    host.user,
                    &host.sid,
                );
                path.push_str(self.rng.pick(DROP_NAMES));
                uint(&mut path, self.rng.range(100, 9999));
                path.push_str(match (dll, upper) {
                    (false, false) => ".exe",
                    (false, true) => ".EXE",
                    (true, false) => ".dll",
                    (true, true) => ".DLL",
                });
                let size = 4096 * self.rng.range(8, 600);
                write_file(out, &path, size, None);
                self.path = path;
                Self::tail(out, &self.hosts[h], &plant.proc);
            }
        }
        plant.next += 1;
        if plant.next < PLANT_LEN {
            self.plant = Some(plant);
        }
    }

    fn write_start(out: &mut String, p: &Proc, parent: &Proc) {
        out.push_str("\"process\":{\"args\":");
        out.push_str(&p.args_json);
        out.push_str(",\"args_count\":");
        uint(out, p.args_count as u64);
        out.push_str(",\"command_line\":");
        out.push_str(&p.cmd_json);
        out.push(',');
        out.push_str(&p.body);
        out.push_str(",\"parent\":{");
        out.push_str(&parent.body);
        out.push_str("}},");
    }

    fn tail_user(out: &mut String, host: &Host, p: &Proc) {
        out.push_str(if p.kind.system {
            &host.system_json
        } else {
            &host.user_json
        });
        out.push_str("}\n");
    }

    // ------------------------------------------------------------------ noise

    fn noise(&mut self, out: &mut String) {
        let h = self.rng.below(self.hosts.len());
        let r = self.rng.below(100);
        if r < 30 {
            self.noise_process(out, h);
        } else if r < 65 {
            self.noise_network(out, h);
        } else if r < 95 {
            self.noise_file(out, h);
        } else if self.hosts[h].windows {
            if r < 98 {
                self.noise_registry(out, h);
            } else {
                self.noise_library(out, h);
            }
        } else {
            // Linux hosts have no registry: a DNS lookup instead.
            let slot = self.rng.below(self.hosts[h].procs.len());
            self.dns_event(out, h, slot);
        }
    }

    fn noise_process(&mut self, out: &mut String, h: usize) {
        let slot = self.rng.below(self.hosts[h].procs.len());
        let mut hosts = std::mem::take(&mut self.hosts);
        if self.rng.percent(50) {
            let p = self.spawn_random(&hosts[h]);
            self.hosts = hosts;
            self.head(out, h, Cat::Process, "start", "\"start\"");
            let host = &self.hosts[h];
            let parent = if p.kind.system {
                &host.services
            } else {
                &host.desktop
            };
            Self::write_start(out, &p, parent);
            Self::tail_user(out, host, &p);
            self.hosts[h].procs[slot] = p;
        } else {
            // The process in this slot ends; an unseen process takes its place.
            let fresh = self.spawn_random(&hosts[h]);
            let old = std::mem::replace(&mut hosts[h].procs[slot], fresh);
            self.hosts = hosts;
            let code = if self.rng.percent(90) { 0 } else { 1 };
            self.head(out, h, Cat::Process, "end", "\"end\"");
            out.push_str("\"process\":{");
            out.push_str(&old.body);
            out.push_str(",\"exit_code\":");
            uint(out, code);
            out.push_str("},");
            Self::tail_user(out, &self.hosts[h], &old);
        }
    }

    fn public_v4(&mut self, prefix: [u8; 2]) -> [u8; 4] {
        [
            prefix[0],
            prefix[1],
            self.rng.below(256) as u8,
            1 + self.rng.below(254) as u8,
        ]
    }

    fn dns_event(&mut self, out: &mut String, h: usize, slot: usize) {
        let (domain, net) = self.rng.pick(BENIGN_DOMAINS);
        let result = self.rng.percent(50);
        let ip = self.public_v4(net);
        let sport = 49_152 + self.rng.below(16_000) as u16;
        if result {
            self.head(out, h, Cat::Dns, "lookup_result", "\"protocol\",\"info\"");
        } else {
            self.head(
                out,
                h,
                Cat::Dns,
                "lookup_requested",
                "\"protocol\",\"info\"",
            );
        }
        let host = &self.hosts[h];
        write_dns(
            out,
            host,
            domain,
            if result { Some(Ip::V4(ip)) } else { None },
            sport,
        );
        Self::tail(out, host, &host.procs[slot]);
    }

    fn noise_network(&mut self, out: &mut String, h: usize) {
        let slot = self.rng.below(self.hosts[h].procs.len());
        let role = self.hosts[h].procs[slot].kind.role;
        let windows = self.hosts[h].windows;
        let r = self.rng.below(100);
        if role == Role::Script {
            debug_assert!(windows);
            // Script interpreter noise: mostly shapes that fail the rule; sometimes a qualifying
            // connection, after which the process is armed and never creates an exe/dll again.
            match r {
                0..=39 => return self.dns_event(out, h, slot),
                40..=59 => self.conn_event(out, h, slot, ConnShape::Loopback),
                60..=74 => self.conn_event(out, h, slot, ConnShape::V6),
                75..=84 => self.conn_event(out, h, slot, ConnShape::Inbound),
                _ => {
                    self.hosts[h].procs[slot].armed = true;
                    self.conn_event(out, h, slot, ConnShape::Suspicious)
                }
            }
            return;
        }
        if role == Role::Wine {
            return self.conn_event(out, h, slot, ConnShape::Suspicious);
        }
        match r {
            0..=19 => self.dns_event(out, h, slot),
            20..=69 => self.conn_event(out, h, slot, ConnShape::Outbound),
            70..=84 => self.conn_event(out, h, slot, ConnShape::Disconnect),
            85..=92 => self.conn_event(out, h, slot, ConnShape::V6),
            _ => self.conn_event(out, h, slot, ConnShape::Inbound),
        }
    }

    fn conn_event(&mut self, out: &mut String, h: usize, slot: usize, shape: ConnShape) {
        let (domain, net) = self.rng.pick(BENIGN_DOMAINS);
        let sport = 49_152 + self.rng.below(16_000) as u16;
        let host_ip = self.hosts[h].ip;
        let host_ip6 = self.hosts[h].ip6;
        let dport = self.rng.pick(&[443u16, 443, 443, 80, 8443]);
        let mut conn = Conn {
            direction: "egress",
            protocol: None,
            transport: "tcp",
            src: Ip::V4(host_ip),
            sport,
            dst: Ip::V4(self.public_v4(net)),
            dport,
            domain: if self.rng.percent(30) {
                Some(domain)
            } else {
                None
            },
            bytes: None,
        };
        let (action, types) = match shape {
            ConnShape::Outbound => {
                if dport == 80 && self.rng.percent(50) {
                    conn.protocol = Some("http");
                }
                ("connection_attempted", "\"start\"")
            }
            ConnShape::Disconnect => {
                conn.bytes = Some((
                    200 + self.rng.below(20_000) as u64,
                    500 + self.rng.below(2_000_000) as u64,
                ));
                ("disconnect_received", "\"end\"")
            }
            ConnShape::V6 => {
                let (prefix, _) =
                    self.rng
                        .pick(&[("2606:4700:", 0), ("2620:1ec:", 0), ("2a00:1450:", 0)]);
                conn.src = Ip::V6("2001:db8:", host_ip6, 0x10 + host_ip[3] as u16);
                conn.dst = Ip::V6(
                    prefix,
                    self.rng.below(0x10000) as u16,
                    self.rng.below(0x100) as u16 + 1,
                );
                conn.domain = None;
                ("connection_attempted", "\"start\"")
            }
            ConnShape::Inbound => {
                conn.direction = "ingress";
                conn.src = Ip::V4([
                    10,
                    host_ip[1],
                    self.rng.below(8) as u8,
                    2 + self.rng.below(250) as u8,
                ]);
                conn.sport = 49_152 + self.rng.below(16_000) as u16;
                conn.dst = Ip::V4(host_ip);
                conn.dport = self.rng.pick(&[135u16, 445, 3389, 5985]);
                conn.domain = None;
                ("connection_accepted", "\"start\"")
            }
            ConnShape::Loopback => {
                conn.src = Ip::V4([127, 0, 0, 1]);
                conn.dst = Ip::V4([127, 0, 0, 1]);
                conn.dport = self.rng.pick(&[8080u16, 5357, 9000]);
                conn.domain = None;
                ("connection_attempted", "\"start\"")
            }
            ConnShape::Suspicious => {
                let net = self.rng.pick(SUSPICIOUS_NETS);
                conn.dst = Ip::V4([net[0], net[1], net[2], 2 + self.rng.below(250) as u8]);
                conn.domain = Some(self.rng.pick(SUSPICIOUS_DOMAINS));
                conn.dport = if self.rng.percent(50) { 80 } else { 443 };
                if self.rng.percent(30) {
                    conn.direction = "outgoing";
                }
                ("connection_attempted", "\"start\"")
            }
        };
        self.head(out, h, Cat::Network, action, types);
        write_conn(out, &conn);
        let host = &self.hosts[h];
        Self::tail(out, host, &host.procs[slot]);
    }

    fn noise_file(&mut self, out: &mut String, h: usize) {
        let slot = self.rng.below(self.hosts[h].procs.len());
        let role = self.hosts[h].procs[slot].kind.role;
        let armed = self.hosts[h].procs[slot].armed;
        let mut path = std::mem::take(&mut self.path);
        path.clear();
        let mut original: Option<String> = None;
        let r = self.rng.below(100);
        let hosts = std::mem::take(&mut self.hosts);
        let (user, sid) = (hosts[h].user, hosts[h].sid.as_str());
        let mut action = if r < 55 {
            "creation"
        } else if r < 85 {
            "modification"
        } else {
            "deletion"
        };
        let size;
        match role {
            Role::Browser => {
                if r < 40 {
                    subst(&mut path, r"C:\Users\{u}\Downloads\", user, sid);
                    if self.rng.percent(35) {
                        path.push_str(self.rng.pick(DOWNLOAD_EXES));
                    } else {
                        path.push_str(self.rng.pick(DOC_NAMES));
                        path.push('.');
                        path.push_str(self.rng.pick(DOC_EXTS));
                    }
                    action = "creation";
                } else {
                    subst(
                        &mut path,
                        r"C:\Users\{u}\AppData\Local\Google\Chrome\User Data\Default\Cache\Cache_Data\f_",
                        user,
                        sid,
                    );
                    hex(&mut path, self.rng.next_u64(), 6);
                }
                size = 512 + self.rng.below(4_000_000) as u64;
            }
            Role::Office | Role::Sync => {
                let dir = if role == Role::Sync {
                    r"C:\Users\{u}\OneDrive - Corp\Documents\"
                } else {
                    r"C:\Users\{u}\AppData\Local\Microsoft\Olk\Attachments\"
                };
                subst(&mut path, dir, user, sid);
                path.push_str(self.rng.pick(DOC_NAMES));
                path.push('.');
                path.push_str(self.rng.pick(DOC_EXTS));
                size = 8_192 + self.rng.below(2_000_000) as u64;
            }
            Role::Service | Role::Av => {
                match self.rng.below(3) {
                    0 => {
                        path.push_str(r"C:\Windows\SoftwareDistribution\Download\");
                        hex(&mut path, self.rng.next_u64(), 16);
                        path.push('\\');
                        path.push_str(self.rng.pick(&[
                            "wuaueng.dll",
                            "windows10.0-kb5050009-x64.cab",
                            "DismCore.dll",
                            "setuphost.exe",
                        ]));
                    }
                    1 => {
                        path.push_str(r"C:\Windows\Prefetch\");
                        path.push_str(self.rng.pick(&[
                            "CHROME.EXE-5F2E1A3B.pf",
                            "SVCHOST.EXE-1B4F7C2D.pf",
                            "ONEDRIVE.EXE-7A1E0F33.pf",
                        ]));
                    }
                    _ => {
                        path.push_str(r"C:\ProgramData\Microsoft\Windows Defender\Scans\History\Service\DetectionHistory\");
                        hex(&mut path, self.rng.next_u64(), 8);
                        path.push_str(".bin");
                    }
                }
                size = 1_024 + self.rng.below(8_000_000) as u64;
            }
            Role::Installer => {
                if self.rng.percent(70) {
                    path.push_str(r"C:\Program Files\");
                    path.push_str(self.rng.pick(INSTALL_VENDORS));
                    path.push('\\');
                    path.push_str(self.rng.pick(INSTALL_FILES));
                    action = "creation";
                } else {
                    path.push_str(r"C:\Windows\Installer\");
                    hex(&mut path, self.rng.next_u64(), 6);
                    path.push_str(".msi");
                }
                size = 16_384 + self.rng.below(20_000_000) as u64;
            }
            Role::Shell => {
                subst(&mut path, r"C:\Users\{u}\AppData\Local\Temp\", user, sid);
                if self.rng.percent(60) {
                    path.push_str("__PSScriptPolicyTest_");
                    b64_lower(&mut path, self.rng.next_u64(), 8);
                    path.push_str(".ps1");
                } else {
                    path.push_str("inventory_");
                    uint(&mut path, self.rng.range(1000, 9999));
                    path.push_str(".log");
                }
                size = 1 + self.rng.below(60_000) as u64;
            }
            Role::Script => {
                subst(&mut path, r"C:\Users\{u}\AppData\Local\Temp\", user, sid);
                path.push_str(self.rng.pick(DROP_NAMES));
                uint(&mut path, self.rng.range(100, 9999));
                let exe_like = self.rng.percent(40);
                if exe_like {
                    path.push_str(self.rng.pick(&[".exe", ".dll", ".EXE", ".Dll"]));
                    if armed {
                        // Never a creation: only change/deletion shapes of executables.
                        action =
                            self.rng
                                .pick(&["modification", "overwrite", "rename", "deletion"]);
                        if action == "rename" {
                            let mut o = path.clone();
                            o.push_str(".tmp");
                            original = Some(o);
                        }
                    }
                } else {
                    path.push_str(self.rng.pick(&[
                        ".txt", ".tmp", ".log", ".js", ".vbs", ".ps1", ".bat", ".ini", ".exe.tmp",
                    ]));
                }
                size = 64 + self.rng.below(900_000) as u64;
            }
            Role::LinuxDaemon | Role::LinuxShell | Role::LinuxFetch => {
                subst(&mut path, self.rng.pick(LINUX_FILES), user, sid);
                size = self.rng.below(50_000_000) as u64;
            }
            Role::Wine => {
                path.push_str("/home/");
                path.push_str(user);
                path.push_str("/.wine/drive_c/users/");
                path.push_str(user);
                path.push_str("/Temp/");
                path.push_str(self.rng.pick(DROP_NAMES));
                uint(&mut path, self.rng.range(100, 9999));
                path.push_str(".exe");
                action = "creation";
                size = 4_096 * self.rng.range(8, 300);
            }
        }
        self.hosts = hosts;
        let types = match action {
            "creation" => "\"creation\"",
            "deletion" => "\"deletion\"",
            _ => "\"change\"",
        };
        self.head(out, h, Cat::File, action, types);
        write_file(out, &path, size, original.as_deref());
        self.path = path;
        let host = &self.hosts[h];
        Self::tail(out, host, &host.procs[slot]);
    }

    fn noise_registry(&mut self, out: &mut String, h: usize) {
        let slot = self.rng.below(self.hosts[h].procs.len());
        let (key, value, typ) = self.rng.pick(REG_KEYS);
        let n = self.rng.next_u64();
        self.head(out, h, Cat::Registry, "modification", "\"change\"");
        let host = &self.hosts[h];
        let mut path = std::mem::take(&mut self.path);
        path.clear();
        subst(&mut path, key, host.user, &host.sid);
        let (hive, rest) = match path.split_once('\\') {
            Some(("HKEY_USERS", rest)) => ("HKU", rest),
            Some((_, rest)) => ("HKLM", rest),
            None => ("HKLM", path.as_str()),
        };
        out.push_str("\"registry\":{\"data\":{\"strings\":[\"");
        if typ == "REG_SZ" {
            esc(out, host.user);
            out.push('_');
        }
        hex(out, n, 16);
        out.push_str("\"],\"type\":\"");
        out.push_str(typ);
        out.push_str("\"},\"hive\":\"");
        out.push_str(hive);
        out.push_str("\",\"key\":");
        qstr(out, rest);
        out.push_str(",\"path\":\"");
        esc(out, &path);
        out.push_str("\\\\");
        esc(out, value);
        out.push_str("\",\"value\":");
        qstr(out, value);
        out.push_str("},");
        self.path = path;
        Self::tail(out, host, &host.procs[slot]);
    }

    fn noise_library(&mut self, out: &mut String, h: usize) {
        let slot = self.rng.below(self.hosts[h].procs.len());
        let dll = self.rng.pick(SYSTEM_DLLS);
        self.head(out, h, Cat::Library, "load", "\"start\"");
        out.push_str("\"dll\":{\"code_signature\":{\"exists\":true,\"status\":\"trusted\",\"subject_name\":\"Microsoft Windows\",\"trusted\":true},\"name\":");
        qstr(out, dll);
        out.push_str(",\"path\":\"C:\\\\Windows\\\\System32\\\\");
        esc(out, dll);
        out.push_str("\"},");
        let host = &self.hosts[h];
        Self::tail(out, host, &host.procs[slot]);
    }
}

#[derive(Clone, Copy)]
enum ConnShape {
    Outbound,
    Disconnect,
    V6,
    Inbound,
    Loopback,
    Suspicious,
}

struct Conn {
    direction: &'static str,
    protocol: Option<&'static str>,
    transport: &'static str,
    src: Ip,
    sport: u16,
    dst: Ip,
    dport: u16,
    domain: Option<&'static str>,
    bytes: Option<(u64, u64)>,
}

fn write_conn(out: &mut String, c: &Conn) {
    out.push_str("\"destination\":{");
    if let Some(d) = c.domain {
        out.push_str("\"domain\":");
        qstr(out, d);
        out.push(',');
    }
    out.push_str("\"ip\":");
    write_ip(out, c.dst);
    out.push_str(",\"port\":");
    uint(out, c.dport as u64);
    if let Some((_, b)) = c.bytes {
        out.push_str(",\"bytes\":");
        uint(out, b);
    }
    out.push_str("},\"network\":{\"direction\":\"");
    out.push_str(c.direction);
    out.push('"');
    if let Some(p) = c.protocol {
        out.push_str(",\"protocol\":\"");
        out.push_str(p);
        out.push('"');
    }
    out.push_str(",\"transport\":\"");
    out.push_str(c.transport);
    out.push_str("\",\"type\":\"");
    out.push_str(if matches!(c.src, Ip::V6(..)) {
        "ipv6"
    } else {
        "ipv4"
    });
    out.push_str("\"},\"source\":{\"ip\":");
    write_ip(out, c.src);
    out.push_str(",\"port\":");
    uint(out, c.sport as u64);
    if let Some((b, _)) = c.bytes {
        out.push_str(",\"bytes\":");
        uint(out, b);
    }
    out.push_str("},");
}

fn write_dns(out: &mut String, host: &Host, domain: &str, resolved: Option<Ip>, sport: u16) {
    out.push_str("\"destination\":{\"ip\":");
    write_ip(out, Ip::V4(host.dns));
    out.push_str(",\"port\":53},\"dns\":{\"question\":{\"name\":");
    qstr(out, domain);
    out.push_str(",\"type\":\"A\"}");
    if let Some(ip) = resolved {
        out.push_str(",\"resolved_ip\":[");
        write_ip(out, ip);
        out.push(']');
    }
    out.push_str("},\"network\":{\"direction\":\"egress\",\"protocol\":\"dns\",\"transport\":\"udp\",\"type\":\"ipv4\"},\"source\":{\"ip\":");
    write_ip(out, Ip::V4(host.ip));
    out.push_str(",\"port\":");
    uint(out, sport as u64);
    out.push_str("},");
}

fn write_file(out: &mut String, path: &str, size: u64, original: Option<&str>) {
    let sep = if path.starts_with('/') { '/' } else { '\\' };
    let name = path.rsplit_once(sep).map_or(path, |(_, n)| n);
    out.push_str("\"file\":{");
    if let Some(o) = original {
        out.push_str("\"Ext\":{\"original\":{\"path\":");
        qstr(out, o);
        out.push_str("}},");
    }
    if let Some((_, ext)) = name.rsplit_once('.') {
        out.push_str("\"extension\":");
        qstr(out, ext);
        out.push(',');
    }
    out.push_str("\"name\":");
    qstr(out, name);
    out.push_str(",\"path\":");
    qstr(out, path);
    out.push_str(",\"size\":");
    uint(out, size);
    out.push_str("},");
}

fn b64_lower(out: &mut String, mut bits: u64, n: usize) {
    const A: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    for _ in 0..n {
        out.push(A[(bits % 36) as usize] as char);
        bits /= 36;
    }
}

fn placeholder() -> Proc {
    Proc {
        kind: &EXPLORER,
        body: String::new(),
        args_json: String::new(),
        args_count: 0,
        cmd_json: String::new(),
        armed: false,
    }
}

static EXPLORER: Kind = Kind {
    name: "explorer.exe",
    exe: r"C:\Windows\explorer.exe",
    args: &[],
    system: false,
    role: Role::Office,
    weight: 0,
};
static SERVICES: Kind = Kind {
    name: "services.exe",
    exe: r"C:\Windows\System32\services.exe",
    args: &[],
    system: true,
    role: Role::Service,
    weight: 0,
};
static LOGIN_BASH: Kind = Kind {
    name: "bash",
    exe: "/usr/bin/bash",
    args: &["--login"],
    system: false,
    role: Role::LinuxShell,
    weight: 0,
};
static SYSTEMD: Kind = Kind {
    name: "systemd",
    exe: "/usr/lib/systemd/systemd",
    args: &["--system", "--deserialize", "31"],
    system: true,
    role: Role::LinuxDaemon,
    weight: 0,
};
static WSCRIPT: Kind = Kind {
    name: "wscript.exe",
    exe: r"C:\Windows\System32\wscript.exe",
    args: &[],
    system: false,
    role: Role::Script,
    weight: 0,
};
static CSCRIPT: Kind = Kind {
    name: "cscript.exe",
    exe: r"C:\Windows\System32\cscript.exe",
    args: &["//nologo"],
    system: false,
    role: Role::Script,
    weight: 0,
};

/// The block length used for planting: `match_every`, raised to [`PLANT_LEN`] (0 stays 0).
pub fn effective_every(match_every: usize) -> usize {
    if match_every == 0 {
        0
    } else {
        match_every.max(PLANT_LEN)
    }
}
