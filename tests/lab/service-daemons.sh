# service_daemons HOST ADDR DIR: real daemons in lab host HOST at ADDR,
# with their files in DIR: sshd (22), vsftpd (21), nginx with HTTP (80),
# HTTPS (443) and TLS on a port no table expects (4567) with a
# self-signed certificate for lab.test (DIR/cert.pem), and redis-server
# (6379). Returns once every port answers. lab_down kills them.
# Sourced after lab.sh by tests/lab/scan-service.sh and bench/service-lab.sh.
SERVICE_PORTS=21,22,80,443,4567,6379
SERVICE_PORTS_LIST="21 22 80 443 4567 6379"

service_daemons() {
	sd_host=$1
	sd_addr=$2
	sd_dir=$3
	chmod 755 "$sd_dir"
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 \
	    -subj /CN=lab.test -addext subjectAltName=DNS:lab.test,DNS:www.lab.test \
	    -keyout "$sd_dir/key.pem" -out "$sd_dir/cert.pem" 2>/dev/null ||
	    fail "openssl req failed"
	ssh-keygen -q -t ed25519 -N '' -f "$sd_dir/ssh_host" ||
	    fail "ssh-keygen failed"
	mkdir -p /run/sshd "$sd_dir/www" "$sd_dir/empty"
	cat >"$sd_dir/nginx.conf" <<-EOF
	daemon off;
	pid $sd_dir/nginx.pid;
	error_log $sd_dir/nginx.err;
	events {}
	http {
		access_log off;
		client_body_temp_path $sd_dir/www;
		proxy_temp_path $sd_dir/www;
		fastcgi_temp_path $sd_dir/www;
		uwsgi_temp_path $sd_dir/www;
		scgi_temp_path $sd_dir/www;
		server {
			listen $sd_addr:80;
			listen $sd_addr:443 ssl;
			listen $sd_addr:4567 ssl;
			ssl_certificate $sd_dir/cert.pem;
			ssl_certificate_key $sd_dir/key.pem;
			location / { return 200 "lab\n"; }
		}
	}
	EOF
	cat >"$sd_dir/vsftpd.conf" <<-EOF
	listen=YES
	listen_ipv6=NO
	listen_address=$sd_addr
	background=NO
	anonymous_enable=NO
	local_enable=YES
	secure_chroot_dir=$sd_dir/empty
	EOF
	lab_exec "$sd_host" /usr/sbin/sshd -D -e -f /dev/null \
	    -o ListenAddress="$sd_addr" -o HostKey="$sd_dir/ssh_host" \
	    -o PidFile=none 2>"$sd_dir/sshd.err" &
	lab_exec "$sd_host" /usr/sbin/nginx -c "$sd_dir/nginx.conf" \
	    -p "$sd_dir" 2>"$sd_dir/nginx.out" &
	lab_exec "$sd_host" redis-server --bind "$sd_addr" --port 6379 \
	    --protected-mode no --save '' --appendonly no --dir "$sd_dir" \
	    >"$sd_dir/redis.out" 2>&1 &
	lab_exec "$sd_host" /usr/sbin/vsftpd "$sd_dir/vsftpd.conf" \
	    >"$sd_dir/vsftpd.out" 2>&1 &
	sd_i=0
	until [ "$(lab_probe scanner -t 500 tcp "$sd_addr" \
	    $SERVICE_PORTS_LIST | grep -c open)" = 6 ]; do
		[ $sd_i -lt 50 ] || fail "daemons not up:" \
		    "$(lab_probe scanner tcp "$sd_addr" $SERVICE_PORTS_LIST |
		    tr '\n' ' ')" "$(cat "$sd_dir"/*.err "$sd_dir"/*.out)"
		sd_i=$((sd_i + 1))
		sleep 0.2
	done
}
