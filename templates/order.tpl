{# Приказ органа управления образованием (seed 001): бланк, «ПРИКАЗ», дата и номер, заголовок,
   основания, «ПРИКАЗЫВАЮ:», пронумерованные пункты, подпись. Приложения добавляются после
   разрыва страницы по списку appendices документа в workspace.json. #}
{% include "common" %}
{% for line in authority.heading %}
<p role="plain" align="center" bold>{{ line }}</p>
{% endfor %}
<doctype>ПРИКАЗ</doctype>
<p align="center" indent="none">от {{ order.date | date }} {{ order.number | number_sign }}</p>
<doctitle>{{ order.title }}</doctitle>
{% call paragraphs(order.grounds) %}
<p indent="none" keep>ПРИКАЗЫВАЮ:</p>
<ol>
  {% for item in order.items %}<li>{{ item }}</li>{% endfor %}
</ol>
{% call head_signature() %}
