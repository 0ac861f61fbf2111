<table>
<tr><td colspan="2147483647">x</td></tr>
</table>
