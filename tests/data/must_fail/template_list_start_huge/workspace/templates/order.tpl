<ol start="2147483647"><li>a</li></ol>
