#include "render/render.h"

#include "data/schema.h"
#include "docx/docx_writer.h"
#include "document/text_dump.h"
#include "io/atomic_file.h"
#include "text/utf8.h"
#include "template/template.h"
#include "xlsx/xlsx_writer.h"

namespace ppko::render {

struct PackageRenderer::Impl {
    explicit Impl(const data::Workspace& w) : ws(w), env(w.resources), context(w.data) {
        const auto r = ws.resources.find("profiles/" + ws.profile + ".json");
        if (!r) throw Error(ErrorId::data_bad_value, "workspace.json", {}, "$.profile", "профиль «" + ws.profile + "» не найден");
        profile = doc::parse_layout_profile(std::string(r->text), r->origin);
        context["workspace"] = data::Json{{"name", ws.name}, {"title", ws.title}};
    }

    // The number of `id` among the appendices of another declared document, or 0.
    int appendix_number(const std::string& id) const {
        for (const auto& d : ws.documents) {
            for (std::size_t k = 0; k < d.appendices.size(); ++k) {
                if (d.appendices[k] == id) return static_cast<int>(k + 1);
            }
        }
        return 0;
    }

    void render_one(const data::DocumentSpec& spec, int number, std::vector<doc::Block>& out) {
        context["document"] = data::Json{{"id", spec.id}, {"title", spec.title}};
        context["appendix"] = number > 0 ? data::Json{{"number", number}} : data::Json();
        env.render(env.get(spec.template_name), context, out);
    }

    const data::Workspace& ws;
    tpl::Environment env;
    data::Json context;
    doc::LayoutProfile profile;
    docx::DocxWriter docx;
    std::string buffer;
};

PackageRenderer::PackageRenderer(const data::Workspace& ws) : impl_(std::make_unique<Impl>(ws)) {}
PackageRenderer::~PackageRenderer() = default;

const doc::LayoutProfile& PackageRenderer::profile() const { return impl_->profile; }

doc::Document PackageRenderer::build(const data::DocumentSpec& spec) {
    doc::Document d;
    text::append_sanitized(d.title, spec.title);  // document properties get the same clean text as the body
    impl_->render_one(spec, impl_->appendix_number(spec.id), d.body);
    for (std::size_t k = 0; k < spec.appendices.size(); ++k) {
        d.body.push_back(doc::Block{doc::PageBreak{}});
        impl_->render_one(*impl_->ws.find_document(spec.appendices[k]), static_cast<int>(k + 1), d.body);
    }
    return d;
}

std::vector<const data::DocumentSpec*> PackageRenderer::select(const std::vector<std::string>& only) const {
    std::vector<const data::DocumentSpec*> out;
    if (only.empty()) {
        for (const auto& d : impl_->ws.documents) out.push_back(&d);
        return out;
    }
    std::vector<std::string> ids;
    for (const auto& d : impl_->ws.documents) ids.push_back(d.id);
    for (const auto& id : only) {
        const auto* d = impl_->ws.find_document(id);
        if (!d) {
            std::string msg = "в папке данных нет документа «" + id + "»";
            const auto near = data::nearest(id, ids);
            if (!near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
            std::string all;
            for (const auto& i : ids) all += (all.empty() ? "" : ", ") + i;
            throw Error(ErrorId::workspace_unknown_document, "", {}, "", msg + "; есть: " + all);
        }
        out.push_back(d);
    }
    return out;
}

const std::string& PackageRenderer::docx_bytes(const doc::Document& d) {
    impl_->docx.write(d, impl_->profile, impl_->buffer);
    return impl_->buffer;
}

std::vector<OutputFile> PackageRenderer::render_to(const std::filesystem::path& out_dir, const Options& options) {
    const auto selected = select(options.only);
    std::vector<std::pair<const data::DocumentSpec*, doc::Document>> models;
    for (const auto* spec : selected) models.emplace_back(spec, build(*spec));

    io::ensure_directory(out_dir);
    io::OutputTransaction tx;
    std::vector<OutputFile> files;
    for (const auto& [spec, model] : models) {
        if (spec->docx) {
            const auto path = out_dir / (spec->file + ".docx");
            tx.write(path, docx_bytes(model));
            files.push_back({path, "docx", spec->id});
        }
        if (spec->xlsx) {
            const auto path = out_dir / (spec->file + ".xlsx");
            xlsx::write_xlsx(model, impl_->profile, tx.temporary_for(path).string());
            files.push_back({path, "xlsx", spec->id});
        }
        if (options.text || options.text_plain) {
            const auto path = out_dir / (spec->file + ".txt");
            doc::TextDumpOptions to;
            to.list_numbers = !options.text_plain;
            tx.write(path, doc::dump_text(model, to));
            files.push_back({path, "txt", spec->id});
        }
    }
    tx.commit();
    return files;
}

}  // namespace ppko::render
