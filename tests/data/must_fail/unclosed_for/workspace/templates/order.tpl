<doctype>ПРИКАЗ</doctype>
<ol>
  {% for item in order.items %}<li>{{ item }}</li>
</ol>
