// A deterministic ZIP archive writer (PKWARE APPNOTE 6.3.x, the subset OPC packages need: no ZIP64,
// no encryption, no data descriptors). Used for DOCX here, and for XLSX and the benchmarks.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ppko::docx {

// Builds a ZIP archive in a caller-owned string. Deterministic: every entry carries the DOS
// time 1980-01-01 00:00, no extra fields and no comments, and entries appear in the order added,
// so the same sequence of add() calls gives the same bytes.
//
// Keeps its deflate state and bookkeeping between archives: reuse one writer for many
// archives. Not thread-safe; use one per thread.
//
//   ZipWriter zip;
//   std::string bytes;
//   zip.begin(bytes);
//   zip.add("[Content_Types].xml", types);
//   zip.add("word/document.xml", document);
//   zip.finish();  // bytes now holds the whole archive
//
// Limits: at most 65,535 entries and 4 GiB per entry and per archive (no ZIP64); beyond that
// add()/finish() throw ppko::Error(ErrorId::internal). `out` must outlive the begin()…finish()
// sequence and must not be modified by anyone else in between.
class ZipWriter {
public:
    // zlib level used when none is given; see zip_writer.cpp for the measurement behind it.
    static constexpr int default_level = 3;

    explicit ZipWriter(int level = default_level);
    ~ZipWriter();
    ZipWriter(const ZipWriter&) = delete;
    ZipWriter& operator=(const ZipWriter&) = delete;

    void begin(std::string& out);  // clears out, starts an archive in it
    // Appends one entry. `name` is the path inside the archive ('/' separated; UTF-8 allowed).
    // With deflate = true the data is raw-deflated, unless that would not make it smaller,
    // in which case it is stored.
    void add(std::string_view name, std::string_view data, bool deflate = true);
    // As add() with deflate, for parts that are usually byte-identical from one archive to the
    // next (styles, settings, fonts, headers): when `data` equals what was last added under
    // `name`, the compressed bytes and CRC of that entry are reused instead of deflating again.
    // The output is the same as add() would give.
    void add_reusing(std::string_view name, std::string_view data);
    void finish();  // central directory + end record; the archive in `out` is then complete

private:
    struct Entry {
        std::uint32_t crc;
        std::uint32_t compressed_size;
        std::uint32_t size;
        std::uint32_t offset;      // of the local header
        std::uint32_t name_begin;  // into names_
        std::uint16_t name_size;
        std::uint16_t method;      // 0 stored, 8 deflated
        std::uint16_t flags;
    };
    struct Deflater;  // the zlib stream, kept alive between entries

    struct Memo {
        std::string name, data, payload;
        std::uint32_t crc = 0;
        std::uint16_t method = 0;
    };
    // Registers an entry and reserves its local header followed by the name in the output.
    Entry start_entry(std::string_view name, std::size_t size, std::size_t& header_pos);
    // Writes the local header for `e` at header_pos (the name follows it).
    void write_local_header(std::size_t header_pos, const Entry& e);

    std::vector<Memo> memos_;
    std::string* out_ = nullptr;
    std::vector<Entry> entries_;
    std::string names_;
    std::unique_ptr<Deflater> deflater_;
};

}  // namespace ppko::docx
