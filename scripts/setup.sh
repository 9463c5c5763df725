#!/usr/bin/env bash
# Set up this machine for Upward. Idempotent: a second run does (almost) nothing.
#
#   scripts/setup.sh              Python environment (uv), WeasyPrint's libraries,
#                                 front-end assets (npm ci + scripts/vendor_assets.py)
#   scripts/setup.sh --browser    ... and Debian's Chromium for the browser tests
#   scripts/setup.sh --postgres   ... and a running PostgreSQL with database upward_test
#   scripts/setup.sh --bench      ... and wrk for load benchmarks
#
# System packages come from Debian (apt-get, as root). Environment:
#   UPWARD_CHROMIUM   Chromium binary to use (default /usr/bin/chromium)
#   UPWARD_PG_DB      test database name (default upward_test)
#   UPWARD_PG_ROLE    role that owns it and that the tests connect as (default postgres)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WANT_BROWSER=0
WANT_POSTGRES=0
WANT_BENCH=0
for arg in "$@"; do
    case "$arg" in
        --browser) WANT_BROWSER=1 ;;
        --postgres) WANT_POSTGRES=1 ;;
        --bench) WANT_BENCH=1 ;;
        -h | --help)
            sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "setup.sh: unknown option $arg (try --help)" >&2
            exit 2
            ;;
    esac
done

CHROMIUM="${UPWARD_CHROMIUM:-/usr/bin/chromium}"
PG_DB="${UPWARD_PG_DB:-upward_test}"
PG_ROLE="${UPWARD_PG_ROLE:-postgres}"

step() { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() {
    printf 'setup.sh: %s\n' "$*" >&2
    exit 1
}

APT_UPDATED=0
apt_install() {
    [ "$(id -u)" -eq 0 ] || die "need root to apt-get install $* (no sudo here); run as root"
    command -v apt-get >/dev/null || die "apt-get not found; install by hand: $*"
    if [ "$APT_UPDATED" -eq 0 ]; then
        note "apt-get update"
        apt-get update -qq
        APT_UPDATED=1
    fi
    note "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# --- Python environment -----------------------------------------------------------------
step "Python environment (uv)"
if ! command -v uv >/dev/null; then
    note "uv not found; installing it with pip"
    # Debian's own python3 refuses pip installs (PEP 668) unless told otherwise.
    python3 -m pip install --quiet --disable-pip-version-check uv ||
        python3 -m pip install --quiet --disable-pip-version-check --break-system-packages uv
    hash -r
    # pip may put uv where PATH does not look (a pyenv version's bin, ~/.local/bin).
    if ! command -v uv >/dev/null; then
        PATH="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$PATH"
        PATH="$HOME/.local/bin:$PATH"
        export PATH
    fi
    command -v uv >/dev/null || die "pip installed uv but it is not on PATH"
fi
note "$(uv --version)"
# --locked syncs exactly the lock (like --frozen) but also fails if uv.lock no longer
# matches pyproject.toml; then fall back to a plain sync, which updates uv.lock.
if ! uv sync --locked --quiet --compile-bytecode; then
    echo "setup.sh: WARNING: uv.lock is stale or unusable; running 'uv sync' (updates uv.lock)" >&2
    uv sync --quiet --compile-bytecode
fi
PY=(uv run --no-sync python)

# --- WeasyPrint's system libraries ------------------------------------------------------
step "WeasyPrint system libraries"
weasyprint_works() {
    "${PY[@]}" -c "import weasyprint; weasyprint.HTML(string='<p>x</p>').write_pdf()" \
        >/dev/null 2>&1
}
if weasyprint_works; then
    note "WeasyPrint renders a PDF"
else
    apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        libfontconfig1 shared-mime-info fonts-dejavu-core
    weasyprint_works || die "WeasyPrint still cannot render a PDF; see: ${PY[*]} -c 'import weasyprint'"
    note "WeasyPrint renders a PDF"
fi

# --- Diagrams ---------------------------------------------------------------------------
# The logic model is laid out by Graphviz's dot (Debian's graphviz) into one SVG for the
# page, the PDF and Word (PNG from the same layout).
step "Graphviz (logic-model diagrams)"
command -v dot >/dev/null || apt_install graphviz
note "$(dot -V 2>&1)"

# --- Translations -----------------------------------------------------------------------
# The public pages' Spanish (.po files in the repository) compiled to the .mo files Django
# reads; msgfmt comes from Debian's gettext.
step "Translations (.po -> .mo)"
command -v msgfmt >/dev/null || apt_install gettext
"${PY[@]}" -m django compilemessages --settings upward.web.settings --ignore '.venv' \
    --ignore node_modules >/dev/null
note "compiled $(find src -name '*.po' | wc -l) catalog(s)"

# --- Front-end assets -------------------------------------------------------------------
step "Front-end assets (npm -> src/upward/web/static/vendor)"
if "${PY[@]}" scripts/vendor_assets.py --check >/dev/null; then
    note "vendor directory matches package-lock.json; nothing to do"
else
    if ! command -v npm >/dev/null; then
        apt_install nodejs npm
    fi
    if [ -f package-lock.json ]; then
        npm ci --no-audit --no-fund --loglevel=error
    else
        echo "setup.sh: WARNING: no package-lock.json; running npm install (commit the lock)" >&2
        npm install --no-audit --no-fund --loglevel=error
    fi
    "${PY[@]}" scripts/vendor_assets.py
fi

# --- Chromium for browser tests ---------------------------------------------------------
if [ "$WANT_BROWSER" -eq 1 ]; then
    step "Chromium for browser tests"
    if [ ! -x "$CHROMIUM" ]; then
        [ "$CHROMIUM" = /usr/bin/chromium ] || die "UPWARD_CHROMIUM=$CHROMIUM is not executable"
        apt_install chromium fonts-dejavu-core fonts-liberation
    fi
    note "$("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM (version unknown)")"
    # pdftoppm renders the PDFs we produce to PNG, so tests and people can look at them.
    command -v pdftoppm >/dev/null || apt_install poppler-utils
fi

# --- PostgreSQL -------------------------------------------------------------------------
# Run SQL as an administrator: over TCP as postgres (trust auth here), else as the
# postgres OS user through the local socket (peer auth, the Debian default).
pg_admin() {
    if psql -h 127.0.0.1 -U postgres -d postgres -w -c 'select 1' >/dev/null 2>&1; then
        psql -h 127.0.0.1 -U postgres -d postgres -w -v ON_ERROR_STOP=1 -qAt "$@"
    elif [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null; then
        runuser -u postgres -- psql -d postgres -v ON_ERROR_STOP=1 -qAt "$@"
    else
        die "cannot connect to PostgreSQL as an administrator"
    fi
}

start_postgres() {
    if ! command -v pg_lsclusters >/dev/null; then
        apt_install postgresql
    fi
    if [ -z "$(pg_lsclusters --no-header 2>/dev/null)" ]; then
        local version
        version="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n1)"
        note "no PostgreSQL cluster; creating $version/main on port 5432"
        pg_createcluster --port 5432 "$version" main >/dev/null
    fi
    local version cluster port status
    while read -r version cluster port status _; do
        if [ "$status" = online ]; then
            note "cluster $version/$cluster on port $port is online"
        else
            note "starting cluster $version/$cluster on port $port (was $status)"
            pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start
        fi
    done < <(pg_lsclusters --no-header)
    local tries=0
    until pg_isready -q -h 127.0.0.1 -p 5432; do
        tries=$((tries + 1))
        [ "$tries" -le 30 ] || die "PostgreSQL does not answer on 127.0.0.1:5432"
        sleep 1
    done
}

if [ "$WANT_POSTGRES" -eq 1 ]; then
    step "PostgreSQL (database $PG_DB owned by $PG_ROLE)"
    start_postgres
    if [ -z "$(pg_admin -c "select 1 from pg_roles where rolname = '$PG_ROLE'")" ]; then
        note "creating role $PG_ROLE"
        pg_admin -c "create role \"$PG_ROLE\" login createdb"
    fi
    # Django's test runner creates and drops test_<name> databases, so the role needs
    # CREATEDB (the superuser postgres has it already).
    if [ "$(pg_admin -c "select rolsuper or rolcreatedb from pg_roles where rolname = '$PG_ROLE'")" != t ]; then
        pg_admin -c "alter role \"$PG_ROLE\" createdb"
    fi
    if [ -z "$(pg_admin -c "select 1 from pg_database where datname = '$PG_DB'")" ]; then
        note "creating database $PG_DB"
        pg_admin -c "create database \"$PG_DB\" owner \"$PG_ROLE\""
    fi
    URL="postgres://$PG_ROLE@127.0.0.1:5432/$PG_DB"
    psql "$URL" -w -qAt -c 'select 1' >/dev/null ||
        die "cannot connect to $URL; allow $PG_ROLE over 127.0.0.1 in pg_hba.conf or set PGPASSWORD"
    note "ready: DATABASE_URL=$URL"
fi

# --- wrk for load benchmarks ------------------------------------------------------------
if [ "$WANT_BENCH" -eq 1 ]; then
    step "wrk for load benchmarks"
    command -v wrk >/dev/null || apt_install wrk
    note "$(wrk --version 2>&1 | head -n1 || true)"
fi

step "setup complete"
