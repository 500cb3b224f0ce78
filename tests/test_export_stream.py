"""The articles export is written in pieces as rows come from the store, with the same bytes."""

from zoneinfo import ZoneInfo

from auditor import export, outfile


def rows(n, seen):
    for i in range(n):
        seen.append(i)
        yield {"outlet_id": "o", "article_id": i, "title": f"=bài {i}", "published": None}


def test_chunks_join_to_the_whole_csv_and_rows_are_read_as_needed():
    columns = ["outlet_id", "article_id", "title", "published"]
    seen = []
    chunks = export.csv_chunks(columns, rows(5, seen), "vi", {}, ZoneInfo("Asia/Ho_Chi_Minh"), 2)
    first = next(chunks)
    assert seen == [0, 1]  # the first piece is out before the other rows are read
    whole = first + "".join(chunks)
    assert whole == export.to_csv(columns, rows(5, []), "vi", {}, ZoneInfo("Asia/Ho_Chi_Minh"))
    assert whole.startswith("\ufeff") and "'=bài 4" in whole


def test_a_file_written_from_pieces_is_the_same_file(tmp_path):
    target = tmp_path / "a.csv"
    outfile.write_text(target, iter(["\ufeffa,b\r\n", "1,2\r\n", "", "3,4\r\n"]))
    assert target.read_bytes() == "\ufeffa,b\r\n1,2\r\n3,4\r\n".encode()
