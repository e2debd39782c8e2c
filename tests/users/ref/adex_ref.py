# Reference for tests/users/adex_switch_reset.cir: the same circuit as a hybrid ODE with an
# ideal hysteretic switch (on above -30 mV, off below -70 mV), Dormand-Prince 5(4) with
# tight tolerances, switch events located by bisection on the dense step.
import math
cm=281e-12; gl=30e-9; el=-70.6e-3; vt=-50.4e-3; dt=2e-3; tw=144e-3; a=4e-9; b=80.5e-12
dvr=40e-3; kb=b/(cm*dvr)*1e9; ron=1e3; roff=1e12; vr=-75e-3
def istim(t):
    if t<=50e-3: return 0.0
    if t>=50.1e-3: return 1e-9
    return 1e-9*(t-50e-3)/0.1e-3
def f(t,y,on):
    v,w=y
    g=1/ron if on else 1/roff
    isw=g*(v-vr)
    dv=(istim(t)-gl*(v-el)+gl*dt*math.exp((v-vt)/dt)-w*1e-9-isw)/cm
    dw=(a*(v-el)*1e9-w)/tw+kb*isw
    return [dv,dw]
C=[0,1/5,3/10,4/5,8/9,1,1]
A=[[],[1/5],[3/40,9/40],[44/45,-56/15,32/9],[19372/6561,-25360/2187,64448/6561,-212/729],
   [9017/3168,-355/33,46732/5247,49/176,-5103/18656],[35/384,0,500/1113,125/192,-2187/6784,11/84]]
B5=[35/384,0,500/1113,125/192,-2187/6784,11/84,0]
B4=[5179/57600,0,7571/16695,393/640,-92097/339200,187/2100,1/40]
def step(t,y,h,on):
    k=[]
    for i in range(7):
        yi=[y[j]+h*sum(A[i][m]*k[m][j] for m in range(i)) for j in range(2)]
        k.append(f(t+C[i]*h,yi,on))
    y5=[y[j]+h*sum(B5[m]*k[m][j] for m in range(7)) for j in range(2)]
    y4=[y[j]+h*sum(B4[m]*k[m][j] for m in range(7)) for j in range(2)]
    return y5,y4
rtol=1e-11; atol=[1e-13,1e-12]
t=0.0; y=[el,0.0]; on=False; h=1e-6; T=0.4
crossings=[]  # upward crossings of -40 mV
events=[50e-3,50.1e-3]
while t<T:
    hh=min(h,T-t)
    for e in events:
        if t<e<t+hh: hh=e-t
    y5,y4=step(t,y,hh,on)
    err=max(abs(y5[j]-y4[j])/(atol[j]+rtol*max(abs(y[j]),abs(y5[j]))) for j in range(2))
    if err>1:
        h=hh*max(0.1,0.9*err**-0.2); continue
    # switch events inside the step: bisect on the step length
    trig=(not on and y5[0]>-30e-3) or (on and y5[0]<-70e-3)
    if trig and hh>1e-15:
        lo,hi=0.0,hh
        for _ in range(60):
            mid=(lo+hi)/2
            ym,_=step(t,y,mid,on)
            if (not on and ym[0]>-30e-3) or (on and ym[0]<-70e-3): hi=mid
            else: lo=mid
        y,_=step(t,y,hi,on); 
        if y[0]>-40e-3 and not on: pass
        t+=hi; on=not on; h=min(h,1e-9); continue
    if y[0]<-40e-3<=y5[0]:
        lo,hi=0.0,hh
        for _ in range(60):
            mid=(lo+hi)/2
            ym,_=step(t,y,mid,on)
            if ym[0]>=-40e-3: hi=mid
            else: lo=mid
        crossings.append(t+hi)
    t+=hh; y=y5
    h=hh*min(5,0.9*max(err,1e-10)**-0.2)
print('ts1 %.8e ts2 %.8e ts5 %.8e wend %.8e'%(crossings[0],crossings[1],crossings[4],y[1]))
