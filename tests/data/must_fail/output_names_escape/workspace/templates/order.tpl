<doctype>ПРИКАЗ</doctype>
<p>от {{ order.date | dat }}</p>
