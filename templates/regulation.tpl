{# Положение (приложение № 2, seed 001): разделы «1. Общие положения» и пункты 1.1, 1.2 …,
   подпункты 2.2.1 …, перечни через тире внутри пунктов. Нумерация — списками Word. #}
{% include "common" %}
{% if appendix %}{% call appendix_stamp(appendix.number) %}{% endif %}
<doctype>{{ regulation.doc_type }}</doctype>
<doctitle>{{ regulation.subject }}</doctitle>
<ol>
  {% for section in regulation.sections %}
  <li align="center" bold keep indent="none">{{ section.title }}
    {% call paragraphs(section.text) %}
    {% if section.clauses %}
    <ol>
      {% for clause in section.clauses %}
      <li>{{ clause.text }}
        {% if clause.bullets %}<ul>{% for b in clause.bullets %}<li>{{ b }}</li>{% endfor %}</ul>{% endif %}
        {% if clause.clauses %}<ol>{% for sub in clause.clauses %}<li>{{ sub.text }}</li>{% endfor %}</ol>{% endif %}
      </li>
      {% endfor %}
    </ol>
    {% endif %}
  </li>
  {% endfor %}
</ol>
