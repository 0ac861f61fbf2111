{# Приказ органа управления образованием (seed 001): бланк, «ПРИКАЗ», дата и номер, место
   издания, заголовок, основания, «ПРИКАЗЫВАЮ:», пронумерованные пункты, подпись. Приложения
   добавляются после разрыва страницы по списку appendices документа в workspace.json. #}
{% include "common" %}
{% call authority_heading(authority.heading) %}
{% call doc_type("ПРИКАЗ") %}
{% call date_number(order.date, order.number) %}
{% call issue_place(authority.city) %}
{% call doc_title(order.title) %}
{% call paragraphs(order.grounds) %}
<p indent="none" keep>ПРИКАЗЫВАЮ:</p>
<ol>
  {% for item in order.items %}<li>{{ item }}</li>{% endfor %}
</ol>
{% call head_signature() %}
