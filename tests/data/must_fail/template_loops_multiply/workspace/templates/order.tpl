{% set l = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30] %}
{% for a in l %}{% for b in l %}{% for c in l %}{% for d in l %}{% for e in l %}<p>x</p>{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}
