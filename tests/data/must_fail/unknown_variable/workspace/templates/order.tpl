<doctype>ПРИКАЗ</doctype>
<p>от {{ order.date | date }} {{ order.numbr | number_sign }}</p>
