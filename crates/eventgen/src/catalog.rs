//! Static tables: process kinds, hosts' operating systems, names and paths.
//!
//! Paths are written here as they are on disk (single backslashes); they are JSON-escaped when
//! written. `{u}` stands for the host's interactive user name.

/// What a process kind does on the network and on disk.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Role {
    Browser,
    Office,
    Sync,
    Service,
    Av,
    Installer,
    Shell,
    /// `wscript.exe` / `cscript.exe` on Windows: the rule's interpreters.
    Script,
    LinuxDaemon,
    LinuxShell,
    LinuxFetch,
    /// `wscript.exe` under Wine on Linux: looks like the rule, but `host.os.type` is `linux`.
    Wine,
}

pub struct Kind {
    pub name: &'static str,
    pub exe: &'static str,
    /// Arguments after argv[0].
    pub args: &'static [&'static str],
    /// Runs as SYSTEM / root rather than as the interactive user.
    pub system: bool,
    pub role: Role,
    pub weight: u32,
}

macro_rules! k {
    ($name:expr, $exe:expr, [$($a:expr),*], $sys:expr, $role:ident, $w:expr) => {
        Kind { name: $name, exe: $exe, args: &[$($a),*], system: $sys, role: Role::$role, weight: $w }
    };
}

pub static WINDOWS_KINDS: &[Kind] = &[
    k!(
        "chrome.exe",
        r"C:\Program Files\Google\Chrome\Application\chrome.exe",
        ["--type=utility", "--lang=en-US"],
        false,
        Browser,
        14
    ),
    k!(
        "msedge.exe",
        r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
        ["--type=renderer"],
        false,
        Browser,
        6
    ),
    k!(
        "svchost.exe",
        r"C:\Windows\System32\svchost.exe",
        ["-k", "netsvcs", "-p", "-s", "BITS"],
        true,
        Service,
        8
    ),
    k!(
        "svchost.exe",
        r"C:\Windows\System32\svchost.exe",
        ["-k", "NetworkService", "-p", "-s", "Dnscache"],
        true,
        Service,
        4
    ),
    k!(
        "OneDrive.exe",
        r"C:\Users\{u}\AppData\Local\Microsoft\OneDrive\OneDrive.exe",
        ["/background"],
        false,
        Sync,
        6
    ),
    k!(
        "ms-teams.exe",
        r"C:\Program Files\WindowsApps\MSTeams_24335.206.3315.2960_x64__8wekyb3d8bbwe\ms-teams.exe",
        [],
        false,
        Office,
        5
    ),
    k!(
        "OUTLOOK.EXE",
        r"C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE",
        [],
        false,
        Office,
        5
    ),
    k!(
        "powershell.exe",
        r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe",
        [
            "-NoProfile",
            "-ExecutionPolicy",
            "Bypass",
            "-File",
            r"C:\ProgramData\corp\inventory.ps1"
        ],
        false,
        Shell,
        4
    ),
    k!(
        "cmd.exe",
        r"C:\Windows\System32\cmd.exe",
        ["/c", r"C:\ProgramData\corp\logon.cmd"],
        false,
        Shell,
        3
    ),
    k!(
        "msiexec.exe",
        r"C:\Windows\System32\msiexec.exe",
        ["/V"],
        true,
        Installer,
        3
    ),
    k!(
        "MsMpEng.exe",
        r"C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.24090.11-0\MsMpEng.exe",
        [],
        true,
        Av,
        4
    ),
    k!(
        "wscript.exe",
        r"C:\Windows\System32\wscript.exe",
        [],
        false,
        Script,
        4
    ),
    k!(
        "cscript.exe",
        r"C:\Windows\System32\cscript.exe",
        ["//nologo"],
        false,
        Script,
        2
    ),
];

pub static LINUX_KINDS: &[Kind] = &[
    k!("sshd", "/usr/sbin/sshd", ["-D"], true, LinuxDaemon, 4),
    k!(
        "nginx",
        "/usr/sbin/nginx",
        ["-g", "daemon on; master_process on;"],
        true,
        LinuxDaemon,
        6
    ),
    k!(
        "dockerd",
        "/usr/bin/dockerd",
        [
            "-H",
            "fd://",
            "--containerd=/run/containerd/containerd.sock"
        ],
        true,
        LinuxDaemon,
        3
    ),
    k!("bash", "/usr/bin/bash", [], false, LinuxShell, 5),
    k!(
        "python3",
        "/usr/bin/python3",
        ["/opt/app/worker.py", "--queue", "default"],
        false,
        LinuxShell,
        4
    ),
    k!(
        "curl",
        "/usr/bin/curl",
        [
            "-fsSL",
            "-o",
            "/tmp/artifact.tar.gz",
            "https://artifacts.corp.example/build/latest.tar.gz"
        ],
        false,
        LinuxFetch,
        3
    ),
    k!(
        "wscript.exe",
        "/home/{u}/.wine/drive_c/windows/system32/wscript.exe",
        [],
        false,
        Wine,
        1
    ),
];

pub struct OsInfo {
    pub family: &'static str,
    pub name: &'static str,
    pub platform: &'static str,
    pub os_type: &'static str,
}

pub static WINDOWS_OS: &[OsInfo] = &[
    OsInfo {
        family: "windows",
        name: "Windows",
        platform: "windows",
        os_type: "windows",
    },
    OsInfo {
        family: "windows",
        name: "Windows",
        platform: "windows",
        os_type: "windows",
    },
    OsInfo {
        family: "windows",
        name: "Windows",
        platform: "windows",
        os_type: "windows",
    },
];

pub static LINUX_OS: &[OsInfo] = &[
    OsInfo {
        family: "ubuntu",
        name: "Linux",
        platform: "ubuntu",
        os_type: "linux",
    },
    OsInfo {
        family: "debian",
        name: "Linux",
        platform: "debian",
        os_type: "linux",
    },
];

pub static USERS: &[&str] = &[
    "mbeck",
    "akhan",
    "jdoe",
    "lnguyen",
    "psingh",
    "cmartin",
    "tkowalski",
    "rsilva",
    "ewright",
    "hyamamoto",
    "omensah",
    "gfischer",
];

pub static WIN_HOST_PREFIX: &[&str] =
    &["ws-fin", "ws-eng", "ws-hr", "ws-ops", "lt-sales", "lt-mkt"];
pub static LINUX_HOST_PREFIX: &[&str] = &["web", "api", "build", "db"];

/// Benign destinations: (domain, first octets of a plausible address range).
pub static BENIGN_DOMAINS: &[(&str, [u8; 2])] = &[
    ("www.google.com", [142, 250]),
    ("dl.google.com", [142, 251]),
    ("update.googleapis.com", [172, 217]),
    ("login.microsoftonline.com", [20, 190]),
    ("outlook.office365.com", [52, 97]),
    ("teams.microsoft.com", [52, 113]),
    ("onedrive.live.com", [13, 107]),
    ("settings-win.data.microsoft.com", [20, 42]),
    ("download.windowsupdate.com", [13, 107]),
    ("ctldl.windowsupdate.com", [23, 46]),
    ("github.com", [140, 82]),
    ("objects.githubusercontent.com", [185, 199]),
    ("registry.npmjs.org", [104, 16]),
    ("pypi.org", [151, 101]),
    ("slack.com", [34, 192]),
    ("zoom.us", [170, 114]),
    ("wdcp.microsoft.com", [52, 182]),
    ("s3.amazonaws.com", [52, 217]),
];

/// Destinations used by planted downloads (documentation ranges and reserved TLDs only).
pub static SUSPICIOUS_DOMAINS: &[&str] = &[
    "cdn.invoice-portal.example",
    "files.docs-share.example",
    "update.font-fix.test",
    "dl.shipping-label.example",
    "static.payroll-view.test",
];
pub static SUSPICIOUS_NETS: &[[u8; 3]] = &[[198, 51, 100], [203, 0, 113], [192, 0, 2]];

pub static SCRIPT_NAMES: &[&str] = &[
    "Invoice_0217",
    "shipping_label",
    "Payroll_Q1",
    "scan_0042",
    "readme",
    "setup_helper",
    "report",
    "font_fix",
    "order_confirmation",
    "voicemail",
    "contract_draft",
    "update",
];
pub static SCRIPT_EXTS: &[&str] = &["js", "vbs", "jse", "wsf", "vbe"];
pub static SCRIPT_DIRS: &[&str] = &[
    r"C:\Users\{u}\Downloads",
    r"C:\Users\{u}\AppData\Local\Temp",
    r"C:\Users\{u}\Desktop",
];
pub static DROP_NAMES: &[&str] = &[
    "upd", "svc", "rdr", "stage", "inst", "tmp", "helper", "msvc", "chk", "sync",
];

pub static DOC_NAMES: &[&str] = &[
    "Q1 plan",
    "meeting-notes",
    "budget_2026",
    "onboarding",
    "roadmap",
    "incident-review",
    "timesheet",
    "invoice_8841",
    "contract",
    "design-spec",
];
pub static DOC_EXTS: &[&str] = &["docx", "xlsx", "pdf", "pptx", "csv"];
pub static DOWNLOAD_EXES: &[&str] = &[
    "ChromeSetup.exe",
    "ZoomInstallerFull.exe",
    "vlc-3.0.21-win64.exe",
    "7z2409-x64.exe",
    "Git-2.47.1-64-bit.exe",
    "python-3.12.8-amd64.exe",
    "npp.8.7.4.Installer.x64.exe",
];
pub static SYSTEM_DLLS: &[&str] = &[
    "ntdll.dll",
    "kernel32.dll",
    "KernelBase.dll",
    "advapi32.dll",
    "user32.dll",
    "ws2_32.dll",
    "winhttp.dll",
    "crypt32.dll",
    "bcrypt.dll",
    "ole32.dll",
    "combase.dll",
    "wininet.dll",
    "dnsapi.dll",
    "mswsock.dll",
    "jscript.dll",
    "vbscript.dll",
    "scrrun.dll",
    "msxml3.dll",
];
pub static INSTALL_VENDORS: &[&str] = &[
    "7-Zip",
    "Notepad++",
    "VideoLAN\\VLC",
    "Git",
    "Zoom\\bin",
    "Python312",
];
pub static INSTALL_FILES: &[&str] = &[
    "7z.dll",
    "7zFM.exe",
    "libvlc.dll",
    "git.exe",
    "Zoom.exe",
    "python3.dll",
    "uninstall.exe",
    "msvcp140.dll",
    "vcruntime140.dll",
    "readme.txt",
    "license.txt",
];
pub static REG_KEYS: &[(&str, &str, &str)] = &[
    (
        r"HKEY_USERS\{sid}\Software\Microsoft\Windows\CurrentVersion\Explorer\RecentDocs",
        "MRUListEx",
        "REG_BINARY",
    ),
    (
        r"HKEY_USERS\{sid}\Software\Microsoft\Office\16.0\Common\Roaming\Identities",
        "ADUserName",
        "REG_SZ",
    ),
    (
        r"HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Services\bam\State\UserSettings\{sid}",
        "LastRun",
        "REG_BINARY",
    ),
    (
        r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows Defender\Signature Updates",
        "SignaturesLastUpdated",
        "REG_BINARY",
    ),
    (
        r"HKEY_USERS\{sid}\Software\Microsoft\OneDrive\Accounts\Business1",
        "LastSignInTime",
        "REG_QWORD",
    ),
    (
        r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update",
        "LastOnlineScanTimeForAppCategory",
        "REG_SZ",
    ),
];
pub static LINUX_FILES: &[&str] = &[
    "/var/log/nginx/access.log",
    "/var/log/nginx/error.log",
    "/var/log/auth.log",
    "/tmp/tmp.kq3ZbB1x",
    "/var/lib/docker/containers/3f9c2e/3f9c2e-json.log",
    "/opt/app/cache/jobs.db",
    "/home/{u}/.bash_history",
    "/etc/resolv.conf",
    "/tmp/artifact.tar.gz",
    "/run/nginx.pid",
];
