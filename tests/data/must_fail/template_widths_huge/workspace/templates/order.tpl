<table widths="1e308,1e308,1">
<tr><td>a</td><td>b</td><td>c</td></tr>
</table>
