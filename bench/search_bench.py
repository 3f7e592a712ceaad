"""Search benchmark (not a test): the app's Whoosh search against bare Whoosh and SQLite FTS5.

    .venv/bin/python bench/search_bench.py [--docs 10000] [--rounds 3] [--keep DIR]

Generates a Vietnamese corpus (5–10 KB of text per document), imports it into a fresh SQLite
database in a temporary data dir, then prints, side by side:

(a) index build throughput: the app's ``rebuild`` (reads the database, fingerprints, stores the
    exact words) vs a bare Whoosh writer (limitmb=256, procs=2, multisegment) on the same texts
    (the bare index is then merged to one segment, untimed, before its queries run);
(b) query latency p50/p95 over a fixed set of 40+ queries (no diacritics, diacritics, phrases,
    code prefixes) through ``search.service.search`` (permission filter, re-ranking, database
    load of the page, snippets) vs a bare Whoosh searcher with a plain folding analyzer;
(c) the same queries through GET /api/v1/search on a local gunicorn (one worker, bearer token);
(d) SQLite FTS5 (unicode61, remove_diacritics 2, đ folded before insert) on the same texts;
(e) index sizes.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

UNITS = ["VP", "TCCB", "KHTC", "GDTRH", "GDTH", "KTKD", "TTRA"]
TOPICS = [
    "kiểm soát tài liệu",
    "kiểm soát hồ sơ",
    "đánh giá nội bộ",
    "hành động khắc phục",
    "hành động phòng ngừa",
    "kiểm soát sản phẩm không phù hợp",
    "tuyển sinh lớp 10",
    "thi đua khen thưởng",
    "quản lý cơ sở vật chất",
    "bồi dưỡng giáo viên",
    "xây dựng kế hoạch năm học",
    "giải quyết khiếu nại tố cáo",
    "cấp bản sao văn bằng",
    "quản lý văn bản đến",
    "quản lý văn bản đi",
    "xét duyệt sáng kiến kinh nghiệm",
    "thanh tra chuyên ngành",
    "kiểm định chất lượng giáo dục",
    "phổ cập giáo dục",
    "sửa chữa đường điện trường học",
]
SENTENCES = [
    "Mục đích của quy trình này là quy định thống nhất cách thức {t} tại đơn vị.",
    "Phạm vi áp dụng: các phòng chuyên môn thuộc Sở Giáo dục và Đào tạo tỉnh Hoà Bình.",
    "Tài liệu viện dẫn gồm TCVN ISO 9001:2008 và Quyết định 19/2014/QĐ-TTg của Thủ tướng.",
    "Trưởng phòng chịu trách nhiệm phê duyệt kết quả {t} trước khi trình lãnh đạo Sở.",
    "Thư ký ISO cập nhật danh mục tài liệu nội bộ và phân phối bản kiểm soát đến nơi nhận.",
    "Hồ sơ được lưu trữ tại văn phòng trong thời hạn năm năm kể từ ngày kết thúc công việc.",
    "Cán bộ được giao nhiệm vụ tiếp nhận hồ sơ, kiểm tra tính hợp lệ và ghi vào sổ theo dõi.",
    "Trường hợp hồ sơ chưa đầy đủ, bộ phận một cửa hướng dẫn người dân bổ sung trong ngày.",
    "Đánh giá viên nội bộ lập báo cáo, nêu rõ điểm không phù hợp và cơ hội cải tiến.",
    "Đơn vị xác định nguyên nhân gốc rễ và đề xuất hành động khắc phục có thời hạn cụ thể.",
    "Kế hoạch được xem xét định kỳ mỗi năm học để bảo đảm phù hợp với quy định hiện hành.",
    "Giáo viên tham gia bồi dưỡng thường xuyên theo hướng dẫn của Bộ Giáo dục và Đào tạo.",
    "Nhà trường tổ chức khám sức khoẻ định kỳ cho học sinh và phối hợp với trạm y tế xã.",
    "Học sinh đi bộ trên vỉa hè, qua đường đúng nơi quy định, không đùa nghịch trên đường.",
    "Lịch nghỉ tết được tính theo dương lịch và âm lịch theo thông báo của Uỷ ban nhân dân.",
    "Công tác phòng chống lụt bão được phối hợp với ngành thuỷ lợi và chính quyền địa phương.",
    "Văn thư vào sổ văn bản đến, chuyển lãnh đạo phân công xử lý trong thời hạn quy định.",
    "Biểu mẫu kèm theo gồm phiếu đề nghị, sổ theo dõi, biên bản kiểm tra và báo cáo tổng hợp.",
    "Người đứng đầu đơn vị chịu trách nhiệm trước Giám đốc Sở về kết quả {t}.",
    "Nội dung sửa đổi được ghi vào bảng theo dõi sửa đổi tài liệu với ngày hiệu lực mới.",
]
QUERIES = [
    # no diacritics
    "quy trinh kiem soat tai lieu",
    "danh gia noi bo",
    "hanh dong khac phuc",
    "ho so luu tru",
    "tuyen sinh lop 10",
    "thi dua khen thuong",
    "co so vat chat",
    "boi duong giao vien",
    "ke hoach nam hoc",
    "giai quyet khieu nai",
    # diacritics
    "quy trình kiểm soát tài liệu",
    "đánh giá nội bộ",
    "hành động khắc phục",
    "sức khỏe học sinh",
    "đường",
    "dương lịch",
    "thủy lợi",
    "hòa bình",
    "phổ cập giáo dục",
    "thanh tra chuyên ngành",
    # phrases
    '"kiểm soát tài liệu"',
    '"danh gia noi bo"',
    '"hành động khắc phục"',
    '"bộ phận một cửa"',
    '"ngày hiệu lực"',
    '"so theo doi"',
    '"sáng kiến kinh nghiệm"',
    '"kiem dinh chat luong giao duc"',
    '"văn bản đến"',
    '"phòng chống lụt bão"',
    # code prefixes
    "QT-VP",
    "QT-TCCB",
    "QT-KHTC-0",
    "BM-01/QT",
    "HD-GDTRH",
    "qt-ttra-1",
    "KH-VP",
    "BM-02/QT-VP",
    "QT-GDTH",
    "HD-KTKD-0",
    # mixed
    "QT-VP kiem soat",
    "tiếp nhận hồ sơ",
]


def machine_line() -> str:
    cpu = platform.processor() or "cpu"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{platform.node()} · {cpu} · {os.cpu_count()} cores · Python "
        f"{platform.python_version()} · {platform.system()} {platform.release()}"
    )


def make_corpus(count: int, seed: int = 2012) -> list[dict]:
    rng = random.Random(seed)
    docs = []
    counters: dict[str, int] = {}
    for index in range(count):
        unit = UNITS[index % len(UNITS)]
        prefix = rng.choice(["QT", "QT", "QT", "HD", "BM", "KH"])
        key = f"{prefix}-{unit}"
        counters[key] = counters.get(key, 0) + 1
        code = f"{key}-{counters[key]:02d}"
        if prefix == "BM":
            code = f"BM-{counters[key]:02d}/QT-{unit}-{rng.randint(1, 30):02d}-{index}"
        topic = rng.choice(TOPICS)
        title = {
            "QT": "Quy trình",
            "HD": "Hướng dẫn",
            "BM": "Biểu mẫu",
            "KH": "Kế hoạch",
        }[prefix] + f" {topic}"
        size = rng.randint(5_000, 10_000)
        parts, length = [], 0
        while length < size:
            sentence = rng.choice(SENTENCES).format(t=rng.choice(TOPICS))
            if rng.random() < 0.3:  # the other tone placement, as found in real documents
                sentence = sentence.replace("Hoà", "Hòa").replace("khoẻ", "khỏe")
            parts.append(sentence)
            length += len(sentence) + 1
        docs.append({"unit": unit, "code": code, "title": title, "text": " ".join(parts)})
    return docs


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def timed(function, queries, rounds) -> list[float]:
    for query in queries:  # warm-up round, not measured
        function(query)
    samples = []
    for _ in range(rounds):
        for query in queries:
            start = time.perf_counter()
            function(query)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def dir_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def setup_django(data_dir: Path) -> None:
    os.environ["QMS_DATA_DIR"] = str(data_dir)
    os.environ["QMS_INDEX_DIR"] = str(data_dir / "index")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "qms.settings"
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def import_corpus(docs: list[dict]):
    """Units, one staff member, and every document issued once (bulk, no per-row indexing)."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from documents.models import ControlledDocument, IssuedRevision
    from qms.models import Membership, OrgUnit, Role

    root = OrgUnit.objects.create(
        name="Sở Giáo dục và Đào tạo tỉnh Hòa Bình",
        short_code="SGD",
        kind=OrgUnit.Kind.DEPARTMENT,
        runs_own_qms=True,
    )
    units = {
        code: OrgUnit.objects.create(
            name=f"Phòng {code}", short_code=code, kind=OrgUnit.Kind.OFFICE, parent=root
        )
        for code in UNITS
    }
    user = get_user_model().objects.create_user(username="staff.vp")
    Membership.objects.create(user=user, unit=units["VP"], role=Role.STAFF)
    now = timezone.now()
    documents = [
        ControlledDocument(
            unit=units[doc["unit"]],
            qms_root=root,
            code=doc["code"],
            title=doc["title"],
            kind="procedure",
            visibility="internal",
            live=True,
            first_published_at=now,
            last_published_at=now,
            text=doc["text"],
        )
        for doc in docs
    ]
    ControlledDocument.objects.bulk_create(documents, batch_size=500)
    IssuedRevision.objects.bulk_create(
        [
            IssuedRevision(
                document=document,
                number=1,
                status="current",
                code=document.code,
                title=document.title,
                text=document.text,
                approved_by_name="Nguyễn Minh Thành",
                approved_at=now,
                effective_from=datetime.date(2012, 8, 1),
            )
            for document in documents
        ],
        batch_size=500,
    )
    return user


def bare_whoosh(docs: list[dict], path: Path):
    from whoosh import index
    from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer
    from whoosh.fields import ID, STORED, TEXT, Schema
    from whoosh.support.charset import accent_map

    analyzer = RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map)
    schema = Schema(
        id=ID(stored=True),
        code=ID,
        title=TEXT(analyzer=analyzer, field_boost=3.0),
        body=TEXT(analyzer=analyzer),
        pk=STORED,
    )
    path.mkdir(parents=True)
    ix = index.create_in(str(path), schema)
    start = time.perf_counter()
    writer = ix.writer(procs=2, limitmb=256, multisegment=True)
    for number, doc in enumerate(docs):
        writer.add_document(
            id=str(number),
            code=doc["code"].lower(),
            title=f"{doc['code']} {doc['title']}",
            body=doc["text"],
        )
    writer.commit()
    elapsed = time.perf_counter() - start
    # Queries then run on one merged segment: the bare searcher's best case (not timed above).
    ix.optimize()
    return ix, elapsed


def bare_query(searcher, schema):
    from whoosh.qparser import AndGroup, MultifieldParser
    from whoosh.query import Prefix

    from search.analysis import fold

    parser = MultifieldParser(["title", "body"], schema, group=AndGroup)

    def run(query: str):
        if "-" in query and query.split()[0].upper() == query.split()[0]:
            parsed = Prefix("code", fold(query.split()[0]))
        else:
            parsed = parser.parse(query)
        return [hit["id"] for hit in searcher.search(parsed, limit=20)]

    return run


def fts5(docs: list[dict], path: Path):
    db = sqlite3.connect(path)
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(code, title, body, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    table = str.maketrans({"đ": "d", "Đ": "D"})
    start = time.perf_counter()
    db.executemany(
        "INSERT INTO docs(code, title, body) VALUES (?, ?, ?)",
        [
            (
                doc["code"],
                f"{doc['code']} {doc['title']}".translate(table),
                doc["text"].translate(table),
            )
            for doc in docs
        ],
    )
    db.commit()
    elapsed = time.perf_counter() - start
    word_re = __import__("re").compile(r"\w+")
    from search.analysis import fold

    def to_match(query: str) -> str:
        first = query.split()[0]
        if "-" in first and first.upper() == first:
            parts = word_re.findall(fold(first))
            return 'code : "' + " ".join(parts) + '" *'
        if query.startswith('"'):
            return '"' + " ".join(word_re.findall(fold(query))) + '"'
        return " AND ".join(f'"{w}"' for w in word_re.findall(fold(query)))

    def run(query: str):
        return db.execute(
            "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 20", (to_match(query),)
        ).fetchall()

    return run, elapsed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_runner(data_dir: Path, user):
    from wagtail.models import APIToken

    created = APIToken.create_token(user=user, name="bench")
    token = next(
        v for v in (created if isinstance(created, tuple) else (created,)) if isinstance(v, str)
    )
    port = free_port()
    env = {**os.environ, "DEBUG": "1", "ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen(
        [
            str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
            "qms.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    base = f"http://127.0.0.1:{port}/api/v1/search"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "?q=x", timeout=2).read()  # noqa: S310
            break
        except OSError:
            time.sleep(0.2)

    def run(query: str):
        request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1 built above)
            base + "?" + urllib.parse.urlencode({"q": query}),
            headers={"Authorization": f"Bearer {token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            status = response.status
            response.read()
        if status != 200:
            raise RuntimeError(f"HTTP {status} for {query!r}")

    return run, server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", help="keep the generated data in this folder")
    parser.add_argument("--no-http", action="store_true", help="skip (c)")
    args = parser.parse_args()

    data_dir = Path(args.keep or tempfile.mkdtemp(prefix="qms-bench-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    setup_django(data_dir)
    from django.core.management import call_command

    print(machine_line())
    print(f"command: {' '.join(sys.argv)}")
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    docs = make_corpus(args.docs)
    user = import_corpus(docs)
    text_mb = sum(len(doc["text"].encode()) for doc in docs) / 1e6
    print(
        f"corpus: {len(docs)} documents, {text_mb:.1f} MB of text "
        f"(migrate + import {time.perf_counter() - start:.1f} s)"
    )

    from search.backends.whoosh_backend import WhooshBackend
    from search.service import search

    app = WhooshBackend(data_dir / "index")
    start = time.perf_counter()
    app.rebuild()
    app_build = time.perf_counter() - start
    ix, bare_build = bare_whoosh(docs, data_dir / "bare-index")
    fts_run, fts_build = fts5(docs, data_dir / "fts5.sqlite3")

    count = len(docs)
    print("\n(a) index build throughput")
    print(f"  app rebuild (DB read + index)   {count / app_build:8.1f} docs/s  ({app_build:.1f} s)")
    print(
        f"  bare Whoosh writer (tuned)      {count / bare_build:8.1f} docs/s  ({bare_build:.1f} s)"
    )
    print(f"  SQLite FTS5 insert              {count / fts_build:8.1f} docs/s  ({fts_build:.1f} s)")
    print(f"  ratio app / bare                {bare_build / app_build:8.2f}   (target ≥ 0.7)")

    bare_searcher = ix.searcher()
    results = {
        "app search()": timed(lambda q: search(q, user), QUERIES, args.rounds),
        "bare Whoosh": timed(bare_query(bare_searcher, ix.schema), QUERIES, args.rounds),
        "SQLite FTS5": timed(fts_run, QUERIES, args.rounds),
    }
    server = None
    if not args.no_http:
        http_run, server = http_runner(data_dir, user)
        try:
            results["HTTP API"] = timed(http_run, QUERIES, args.rounds)
        finally:
            server.terminate()
            server.wait(timeout=10)

    print(f"\n(b)-(d) query latency over {len(QUERIES)} queries × {args.rounds} rounds (ms)")
    p95 = {name: percentile(samples, 95) for name, samples in results.items()}
    for name, samples in results.items():
        print(f"  {name:<16} p50 {statistics.median(samples):7.1f}   p95 {p95[name]:7.1f}")
    app_p95 = p95["app search()"]
    print(f"  ratio app p95 / bare Whoosh p95 {app_p95 / p95['bare Whoosh']:6.2f}   (target ≤ 1.5)")
    print(f"  ratio app p95 / FTS5 p95        {app_p95 / p95['SQLite FTS5']:6.2f}   (target ≤ 3)")
    if "HTTP API" in results:
        print(f"  ratio HTTP p95 / app p95        {p95['HTTP API'] / app_p95:6.2f}")

    print("\n(e) index size")
    print(f"  app Whoosh index   {dir_size(app.live_dir()) / 1e6:7.1f} MB")
    print(f"  bare Whoosh index  {dir_size(data_dir / 'bare-index') / 1e6:7.1f} MB")
    print(f"  SQLite FTS5 file   {dir_size(data_dir / 'fts5.sqlite3') / 1e6:7.1f} MB")
    bare_searcher.close()
    if not args.keep:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
